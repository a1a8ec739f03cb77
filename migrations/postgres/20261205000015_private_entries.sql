-- Private captures (issue 13): a search by a member who is not an admin leaves out other members'
-- private entries, found through this index. Private entries are expected to be few, so it is
-- small, and a search looks them up in one short index scan instead of checking every row's share.
CREATE INDEX entries_private ON entries (guild_id, author_id) WHERE share = 'private';

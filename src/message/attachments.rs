//! Files fitted to a chat's upload rules: the files of one message together within the size limit
//! the chat gave (Discord's applies to all the files of a request, not to each), at most
//! [`ATTACHMENTS_MAX`] to a message, the rest in follow-ups. A file over the limit alone is split
//! (a CSV by rows into numbered parts, each with the header; other text by lines). One that cannot
//! be split is named in the message, never dropped silently.

use super::{Attachment, Message};

/// Files one message may carry.
pub const ATTACHMENTS_MAX: usize = 10;

/// `message`'s files as one message and as many follow-ups as they need, in order, each message
/// with at most [`ATTACHMENTS_MAX`] files of at most `limit` bytes in all. The first keeps the
/// content and embeds.
pub fn fit_files(mut message: Message, limit: u64) -> Vec<Message> {
    let mut files = Vec::new();
    let mut too_large = Vec::new();
    for file in std::mem::take(&mut message.attachments) {
        if file.bytes.len() as u64 <= limit {
            files.push(file);
            continue;
        }
        match split(&file, limit) {
            Some(parts) => files.extend(parts),
            None => too_large.push(format!("{} ({} bytes)", file.name, file.bytes.len())),
        }
    }
    if !too_large.is_empty() {
        message.content.push_str(&format!(
            "\nOver the upload limit here ({limit} bytes) and not sent: {}. The command line's `liaison report` writes every file.",
            too_large.join(", ")
        ));
    }
    let mut batches = batches(files, limit).into_iter();
    message.attachments = batches.next().unwrap_or_default();
    let ephemeral = message.ephemeral;
    let mut out = vec![message];
    out.extend(batches.map(|attachments| Message { attachments, ephemeral, ..Message::default() }));
    out
}

/// `files` (each within `limit`) in order, in as few batches as fit: a batch is closed when the
/// next file would take it over `limit` bytes or [`ATTACHMENTS_MAX`] files.
fn batches(files: Vec<Attachment>, limit: u64) -> Vec<Vec<Attachment>> {
    let mut out: Vec<Vec<Attachment>> = Vec::new();
    let mut bytes = 0u64;
    for file in files {
        let size = file.bytes.len() as u64;
        match out.last_mut() {
            Some(batch) if batch.len() < ATTACHMENTS_MAX && bytes + size <= limit => {
                bytes += size;
                batch.push(file);
            }
            _ => {
                bytes = size;
                out.push(vec![file]);
            }
        }
    }
    out
}

/// A text file as numbered parts within `limit`: a CSV (by its name) by records, each part with
/// the header; other UTF-8 text by lines. `None` for anything else, or where one record alone
/// (with the header) is over the limit.
fn split(file: &Attachment, limit: u64) -> Option<Vec<Attachment>> {
    let text = std::str::from_utf8(&file.bytes).ok()?;
    let is_csv = file.name.to_ascii_lowercase().ends_with(".csv");
    let mut records = if is_csv { csv_records(text) } else { lines(text) };
    let header = if is_csv && !records.is_empty() { records.remove(0) } else { "" };
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::from(header);
    for record in records {
        if header.len() + record.len() > limit {
            return None;
        }
        if current.len() + record.len() > limit {
            parts.push(std::mem::replace(&mut current, String::from(header)));
        }
        current.push_str(record);
    }
    if current.len() > header.len() || parts.is_empty() {
        parts.push(current);
    }
    let (stem, ext) = match file.name.rsplit_once('.') {
        Some((stem, ext)) => (stem, format!(".{ext}")),
        None => (file.name.as_str(), String::new()),
    };
    let n = parts.len();
    Some(
        parts
            .into_iter()
            .enumerate()
            .map(|(i, p)| Attachment {
                name: format!("{stem}-part{}of{n}{ext}", i + 1),
                bytes: p.into_bytes(),
            })
            .collect(),
    )
}

/// Lines, each with its line break.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// CSV records, each with its line break: a line break inside a quoted cell does not end one.
fn csv_records(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                out.push(&text[start..=i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> Attachment {
        Attachment { name: name.into(), bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn a_csv_over_the_limit_is_split_by_records_each_part_with_the_header() {
        let csv = "id,note\n1,\"two\nlines\"\n2,b\n3,c\n";
        let m = Message { attachments: vec![file("entries.csv", csv)], ..Message::default() };
        let out = fit_files(m, 24);
        for m in &out {
            assert!(m.attachments.iter().map(|a| a.bytes.len()).sum::<usize>() <= 24, "{m:?}");
        }
        let parts: Vec<&Attachment> = out.iter().flat_map(|m| &m.attachments).collect();
        assert!(parts.len() > 1, "{parts:?}");
        let mut rows = Vec::new();
        for p in &parts {
            assert!(p.bytes.len() <= 24, "{p:?}");
            let text = String::from_utf8(p.bytes.clone()).unwrap();
            assert!(text.starts_with("id,note\n"), "{text}");
            rows.push(text["id,note\n".len()..].to_string());
        }
        assert_eq!(rows.concat(), "1,\"two\nlines\"\n2,b\n3,c\n", "every record once, in order");
        assert_eq!(parts[0].name, format!("entries-part1of{}.csv", parts.len()));
    }

    #[test]
    fn the_files_of_one_message_are_within_the_limit_together_in_their_order() {
        let sized = |name: &str, n: usize| Attachment { name: name.into(), bytes: vec![b'x'; n] };
        let files = vec![sized("a", 40), sized("b", 30), sized("c", 31), sized("d", 100), sized("e", 1)];
        let m = Message { content: "Your report".into(), attachments: files, ..Message::default() };
        let out = fit_files(m, 100);
        let names: Vec<Vec<&str>> =
            out.iter().map(|m| m.attachments.iter().map(|a| a.name.as_str()).collect()).collect();
        assert_eq!(names, [vec!["a", "b"], vec!["c"], vec!["d"], vec!["e"]]);
        assert_eq!(out[0].content, "Your report");
        assert!(out[1..].iter().all(|m| m.content.is_empty()));
    }

    #[test]
    fn more_than_ten_files_go_in_follow_ups_and_an_unsplittable_one_is_named() {
        let mut files: Vec<Attachment> = (0..12).map(|i| file(&format!("f{i}.txt"), "x\n")).collect();
        files.push(Attachment { name: "chart.png".into(), bytes: vec![0; 100] });
        let m = Message { content: "Your report".into(), attachments: files, ..Message::default() };
        let out = fit_files(m, 50);
        assert_eq!(out.iter().map(|m| m.attachments.len()).collect::<Vec<_>>(), [10, 2]);
        assert!(out[0].content.contains("chart.png (100 bytes)"), "{}", out[0].content);
    }
}

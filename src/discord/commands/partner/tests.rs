//! `/partner`'s options made requests, and what the edit form and its options do to a profile.

use super::*;
use crate::discord::commands::fixtures::{department, refusal, rules};
use crate::discord::custom_id::PartnerEditState;
use crate::domain::ids::UserId;
use crate::domain::partner::PartnerId;

fn sub(name: &str, options: Options) -> Options {
    Options::new().with(name, options)
}

#[test]
fn add_reads_every_option_and_both_departments() {
    let rules = rules();
    let options = Options::new()
        .with("name", " Dr A. Field ")
        .with("kind", "person")
        .with("department", "hist")
        .with("also_department", "law")
        .with("owner", UserId(7))
        .with("co_owner", UserId(8))
        .with("notes", "Wants EEBO training; we offer a session")
        .with("link", "https://example.ac.uk/field");
    let PartnerRequest::Add(request) = parse(&sub("add", options), &rules).unwrap() else {
        panic!("not add")
    };
    assert_eq!(
        request,
        add::AddRequest {
            name: "Dr A. Field".into(),
            kind: PartnerKind::Person,
            departments: vec![department(&rules, "History"), department(&rules, "Law")],
            owner: Some(UserId(7)),
            co_owner: Some(UserId(8)),
            notes: Some("Wants EEBO training; we offer a session".into()),
            link: Some("https://example.ac.uk/field".into()),
        }
    );
}

#[test]
fn a_kind_department_status_or_quiet_that_does_not_read_is_refused() {
    let rules = rules();
    let add = |kind: &str| Options::new().with("name", "X").with("kind", kind);
    assert_eq!(
        refusal(parse(&sub("add", add("*alien*")), &rules)),
        "kind is person, organisation, team or group, not \"\\*alien\\*\""
    );
    assert_eq!(
        refusal(parse(&sub("add", Options::new().with("name", "X")), &rules)),
        "Choose the partner's kind."
    );
    let typo = refusal(parse(&sub("add", add("team").with("department", "Histroy")), &rules));
    assert!(typo.starts_with("no department called \"Histroy\""), "{typo}");
    assert_eq!(
        refusal(parse(&sub("list", Options::new().with("status", "gone")), &rules)),
        "status is active or dormant, not \"gone\""
    );
    assert_eq!(
        refusal(parse(&sub("list", Options::new().with("quiet", 0)), &rules)),
        "quiet is 1 to 104 weeks"
    );
    assert_eq!(refusal(parse(&Options::new(), &rules)), "Choose add, show, edit, list or merge.");
}

#[test]
fn list_edit_show_and_merge_read_their_options() {
    let rules = rules();
    let list = Options::new()
        .with("kind", "organisation")
        .with("owner", UserId(9))
        .with("department", "maths")
        .with("quiet", 8)
        .with("status", "dormant");
    assert_eq!(
        parse(&sub("list", list), &rules).unwrap(),
        PartnerRequest::List(list::ListFilter {
            kind: Some(PartnerKind::Organisation),
            owner: Some(UserId(9)),
            department: Some(department(&rules, "Mathematics")),
            quiet_weeks: Some(8),
            status: Some(PartnerStatus::Dormant),
        })
    );
    let edit =
        Options::new().with("partner", "Field").with("kind", "group").with("remove_co_owner", UserId(3));
    assert_eq!(
        parse(&sub("edit", edit), &rules).unwrap(),
        PartnerRequest::Edit(edit::EditRequest {
            partner: "Field".into(),
            kind: Some(PartnerKind::Group),
            owner: None,
            co_owner: None,
            remove_co_owner: Some(UserId(3)),
        })
    );
    assert_eq!(
        parse(&sub("show", Options::new().with("partner", " Field ")), &rules).unwrap(),
        PartnerRequest::Show("Field".into())
    );
    let merge = Options::new().with("from", "A. Field").with("into", "Dr A. Field");
    assert_eq!(
        parse(&sub("merge", merge), &rules).unwrap(),
        PartnerRequest::Merge { from: "A. Field".into(), into: "Dr A. Field".into() }
    );
}

fn state() -> PartnerEditState {
    PartnerEditState { partner: PartnerId(1), kind: None, owner: None, co_owner: None, remove_co_owner: None }
}

#[test]
fn the_owner_options_replace_the_owner_add_and_remove_co_owners_each_once() {
    let owners = [UserId(1), UserId(2), UserId(3)];
    assert_eq!(edit::owners_after(&owners, &state()), owners);
    let new_owner = PartnerEditState { owner: Some(UserId(9)), ..state() };
    assert_eq!(edit::owners_after(&owners, &new_owner), [UserId(9), UserId(2), UserId(3)]);
    let promoted = PartnerEditState { owner: Some(UserId(2)), ..state() };
    assert_eq!(edit::owners_after(&owners, &promoted), [UserId(2), UserId(3)]);
    let added = PartnerEditState { co_owner: Some(UserId(4)), remove_co_owner: Some(UserId(2)), ..state() };
    assert_eq!(edit::owners_after(&owners, &added), [UserId(1), UserId(3), UserId(4)]);
    let again = PartnerEditState { co_owner: Some(UserId(3)), ..state() };
    assert_eq!(edit::owners_after(&owners, &again), owners);
    let nobody = PartnerEditState { co_owner: Some(UserId(5)), ..state() };
    assert_eq!(edit::owners_after(&[], &nobody), [UserId(5)]);
}

#[test]
fn the_edit_form_reads_departments_and_status_and_hands_the_notes_back_when_refused() {
    let rules = rules();
    let fields = |pairs: &[(&str, &str)]| -> crate::discord::options::Fields {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    let submit = edit::parse_form(
        state(),
        &fields(&[
            ("name", "Dr A. Field"),
            ("departments", "history, law"),
            ("notes", "n"),
            ("status", "Dormant"),
        ]),
        &rules,
    )
    .unwrap();
    assert_eq!(submit.departments, vec![department(&rules, "History"), department(&rules, "Law")]);
    assert_eq!((submit.status, submit.link), (PartnerStatus::Dormant, None));
    let refused =
        refusal(edit::parse_form(state(), &fields(&[("notes", "Keep these"), ("status", "gone")]), &rules));
    assert!(refused.starts_with("status is active or dormant"), "{refused}");
    assert!(refused.ends_with("Your notes, to copy into a new try:\n> Keep these"), "{refused}");
}

#[test]
fn departments_in_a_list_resolve_in_order_and_blank_items_are_skipped() {
    let rules = rules();
    let found = departments_in(" law,, history ,", &rules).unwrap();
    assert_eq!(found, vec![department(&rules, "Law"), department(&rules, "History")]);
    assert!(departments_in("  ", &rules).unwrap().is_empty());
}

#[test]
fn a_department_whose_name_holds_a_comma_is_read_whole() {
    use crate::domain::department::{DepartmentCatalogue, DepartmentSpec};
    let spec = |name: &str| DepartmentSpec { name: name.into(), aliases: Vec::new() };
    let mut rules = rules();
    rules.departments = DepartmentCatalogue::new(vec![
        spec("Law"),
        spec("Languages, Cultures and Linguistics"),
        spec("History"),
    ])
    .expect("a catalogue");
    let names = |typed: &str| -> Vec<String> {
        departments_in(typed, &rules).unwrap().iter().map(|d| d.name().to_string()).collect()
    };
    assert_eq!(
        names("Languages, Cultures and Linguistics, Law"),
        ["Languages, Cultures and Linguistics", "Law"]
    );
    assert_eq!(names("law,history"), ["Law", "History"]);
    let refused = refusal(departments_in("Law, Languages", &rules));
    assert!(refused.starts_with("no department called \"Languages\""), "{refused}");
}

//! `/intel`'s options and its form's fields made requests, and what a refused form hands back.

use super::*;
use crate::discord::commands::fixtures::{channel, department, refusal, rules};
use crate::domain::department::DepartmentKey;

fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn every_option_is_resolved_or_kept_as_typed() {
    let rules = rules();
    let options = Options::new()
        .with("department", "hist")
        .with("note", " Three PhD students asked for EEBO training ")
        .with("channel", "coffee")
        .with("tags", "eebo, training")
        .with("when", "yesterday")
        .with("follow_up", "in 7 days")
        .with("share", "private")
        .with("partner", "Dr A. Field")
        .with("partner2", "Study Skills")
        .with("also_department", "law")
        .with("hand_off", true);
    assert_eq!(
        parse(&options, &rules).unwrap(),
        IntelRequest {
            department: Some(department(&rules, "History")),
            channel: Some(channel(&rules, "coffee")),
            note: Some("Three PhD students asked for EEBO training".into()),
            tags: Some("eebo, training".into()),
            when: Some("yesterday".into()),
            follow_up: Some("in 7 days".into()),
            share: Share::Private,
            partners: vec!["Dr A. Field".into(), "Study Skills".into()],
            also_department: Some(department(&rules, "Law")),
            hand_off: true,
            event: None,
        }
    );
}

#[test]
fn share_is_the_teams_unless_private_is_chosen_and_nothing_else_is_taken() {
    let rules = rules();
    let law = || Options::new().with("department", "Law");
    assert_eq!(parse(&law(), &rules).unwrap().share, Share::Team);
    assert_eq!(parse(&law().with("share", "team"), &rules).unwrap().share, Share::Team);
    let odd = refusal(parse(&law().with("share", "*everyone*"), &rules));
    assert_eq!(odd, "share is team or private, not \"\\*everyone\\*\"");
}

#[test]
fn the_forms_private_field_reads_yes_no_private_or_team_in_any_case() {
    for (typed, share) in
        [("yes", Share::Private), (" PRIVATE ", Share::Private), ("No", Share::Team), ("team", Share::Team)]
    {
        assert_eq!(parse_private(&fields(&[("private", typed)])).unwrap(), share, "{typed:?}");
    }
    assert_eq!(parse_private(&fields(&[])).unwrap(), Share::Team, "left empty");
    for typed in ["y", "oui", "true", "public"] {
        let text = refusal(parse_private(&fields(&[("private", typed)])));
        assert_eq!(text, format!("Private? is yes or no, not \"{typed}\""));
    }
    assert_eq!(private_input(Share::Private).value, "yes");
    assert!(PRIVATE_LABEL.chars().count() <= crate::message::limits::INPUT_LABEL_MAX);
}

#[test]
fn without_a_note_or_channel_there_is_none_to_ask_for_and_the_channel_is_decided_later() {
    let rules = rules();
    for options in [
        Options::new().with("department", "Engineering"),
        Options::new().with("department", "Engineering").with("note", "   "),
    ] {
        let request = parse(&options, &rules).unwrap();
        assert_eq!((request.note, request.channel), (None, None), "{options:?}");
    }
}

#[test]
fn a_channel_or_department_left_out_is_none_and_one_typed_with_a_slip_gets_did_you_mean() {
    let rules = rules();
    let request = parse(&Options::new().with("note", "x"), &rules).unwrap();
    assert_eq!((request.department, request.channel), (None, None));
    let slip = refusal(parse(&Options::new().with("department", "Law").with("channel", "emial"), &rules));
    assert!(
        slip.starts_with(
            "no channel called \"emial\"; did you mean \"email\"? the channels are: desk, email"
        ),
        "{slip}"
    );
}

#[test]
fn a_department_or_channel_that_does_not_resolve_is_refused_before_any_form() {
    let rules = rules();
    let typo = refusal(parse(&Options::new().with("department", "Histroy"), &rules));
    assert!(typo.starts_with("no department called \"Histroy\"; the closest are: History"), "{typo}");
    let channel = refusal(parse(&Options::new().with("department", "Law").with("channel", "pigeon"), &rules));
    assert!(channel.starts_with("no channel called \"pigeon\"; the channels are: desk, email"), "{channel}");
}

#[test]
fn a_form_names_its_department_by_key_and_its_channel() {
    let rules = rules();
    let history = department(&rules, "History");
    let submitted = parse_form(
        &state(DepartmentRef::of(&history), "desk"),
        &fields(&[
            ("note", "Wants IEEE Xplore"),
            ("tags", "ieee"),
            ("follow_up", "friday"),
            ("partners", "Field"),
        ]),
        &rules,
    );
    assert_eq!(
        submitted.unwrap(),
        SubmittedNote {
            hand_off: false,
            department: history,
            channel: Some(channel(&rules, "desk")),
            note: "Wants IEEE Xplore".into(),
            tags: Some("ieee".into()),
            when: None,
            follow_up: Some("friday".into()),
            source: None,
            share: Share::Team,
            also_departments: Vec::new(),
            partners: Some("Field".into()),
        }
    );
}

fn state(department: DepartmentRef, channel: &str) -> FormState {
    FormState {
        department,
        channel: ChannelKey::from_stored(channel),
        share: Share::Team,
        also: None,
        hand_off: false,
    }
}

#[test]
fn a_form_keeps_the_commands_share_and_other_department_unless_an_older_form_says_private() {
    let rules = rules();
    let form = FormState {
        share: Share::Private,
        also: Some(DepartmentRef::of(&department(&rules, "Law"))),
        ..state(DepartmentRef::of(&department(&rules, "History")), "desk")
    };
    let submitted = parse_form(&form, &fields(&[("note", "x")]), &rules).unwrap();
    assert_eq!(
        (submitted.share, submitted.also_departments),
        (Share::Private, vec![department(&rules, "Law")])
    );
    let older = state(DepartmentRef::of(&department(&rules, "History")), "desk");
    let private = parse_form(&older, &fields(&[("note", "x"), ("private", "yes")]), &rules).unwrap();
    assert_eq!(private.share, Share::Private);
}

#[test]
fn a_form_whose_department_left_the_config_is_refused_as_stale() {
    let rules = rules();
    let gone = DepartmentRef::Key(DepartmentKey::from_stored("Alchemy"));
    let text = refusal(parse_form(&state(gone, "desk"), &fields(&[("note", "x")]), &rules));
    assert_eq!(
        text,
        "The department list changed while the form was open. Run /intel again.\n\nYour note, to copy into a new try:\n> x"
    );
}

#[test]
fn a_form_whose_channel_left_the_config_hands_the_note_back() {
    let rules = rules();
    let form = state(DepartmentRef::of(&department(&rules, "History")), "pigeon");
    let text = refusal(parse_form(&form, &fields(&[("note", "Keep *this*\nand this")]), &rules));
    assert!(text.starts_with("no channel called \"pigeon\""), "{text}");
    assert!(
        text.ends_with("\n\nYour note, to copy into a new try:\n> Keep \\*this\\*\n> and this"),
        "{text}"
    );
    let blank = refusal(parse_form(&form, &fields(&[]), &rules));
    assert!(!blank.contains("Your note"), "nothing to hand back: {blank}");
}

#[test]
fn only_refusals_the_person_can_act_on_carry_the_note() {
    let forbidden = keep_text(ServiceError::Forbidden("no".into()), "a note");
    assert!(matches!(forbidden, ServiceError::Forbidden(m) if m == "no"));
    let invalid = keep_text(ServiceError::invalid("bad date"), "a note");
    assert_eq!(invalid.to_string(), "bad date\n\nYour note, to copy into a new try:\n> a note");
}

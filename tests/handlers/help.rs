//! `/help`: each topic, privately, within Discord's limits, pinging nobody; its words are the
//! guide's; every command and option it or the guide names is one the bot registers.

use std::collections::BTreeMap;

use liaison::discord::commands::help::{Topic, GUIDE, TOPIC};
use liaison::discord::commands::{definitions, route_command};
use liaison::discord::options::Options;
use liaison::message::limits;
use serde_json::Value;

use crate::bench::*;

fn options(topic: Topic) -> Options {
    match topic {
        Topic::Overview => Options::new(),
        other => Options::new().with(TOPIC, other.key()),
    }
}

#[tokio::test]
async fn each_topic_answers_privately_within_discords_limits_and_pings_nobody() {
    let bench = Bench::at(november(18)).await;
    let mut seen = Vec::new();
    for topic in Topic::ALL {
        let m = message(route_command(&bench.app, &alice(), "help", &options(topic), None).await);
        assert!(m.ephemeral, "{topic:?}");
        assert_eq!(m.embeds.len(), 1, "{topic:?}");
        let description = &m.embeds[0].description;
        assert_eq!(Some(description.clone()), topic.text(), "{topic:?}");
        assert!(description.contains("\n\n"), "{topic:?}: its paragraphs stay apart");
        // Fitting would cut it short silently: the text must fit as written.
        assert!(
            limits::len(description) <= limits::EMBED_DESCRIPTION_MAX,
            "{topic:?}: {}",
            description.len()
        );
        assert!(limits::violations(&m).is_empty(), "{topic:?}: {:?}", limits::violations(&m));
        let t = text(&m);
        for ping in ["@everyone", "@here", "<@", "<#"] {
            assert!(!t.contains(ping), "{topic:?} holds {ping}");
        }
        assert!(!seen.contains(description), "{topic:?} repeats another topic");
        seen.push(description.clone());
    }
    let overview = text(&message(route_command(&bench.app, &alice(), "help", &Options::new(), None).await));
    for topic in ["/help topic:record", "/help topic:share", "/help topic:fix"] {
        assert!(overview.contains(topic), "the overview points to {topic}");
    }
    let refused =
        refusal(route_command(&bench.app, &alice(), "help", &Options::new().with(TOPIC, "all"), None).await);
    assert!(refused.contains("record, share or fix"), "{refused}");
}

/// Text with every run of white space one space: the guide wraps lines where /help does not.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_line_of_help_is_in_the_guide_word_for_word() {
    let guide = flat(GUIDE);
    for topic in Topic::ALL {
        let help = topic.text().expect("the guide has every topic");
        assert!(help.lines().filter(|l| !l.trim().is_empty()).count() >= 3, "{topic:?} says little");
        for line in help.lines().filter(|l| !l.trim().is_empty()) {
            assert!(guide.contains(&flat(line)), "{topic:?}: the guide lacks {line:?}");
        }
    }
    // And the guide shows nobody Rust or servers.
    for word in ["cargo", "Rust", "systemd", "DATABASE_URL", "toml", "sudo"] {
        assert!(!GUIDE.contains(word), "the guide says {word}");
    }
}

/// The commands the bot registers: name to (sub-command name to its option names); a command
/// without sub-commands has its options under "".
fn registered() -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let names = |options: &Value| -> Vec<String> {
        options
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|o| o["name"].as_str().map(String::from))
            .collect()
    };
    let mut commands = BTreeMap::new();
    for definition in definitions() {
        let json = serde_json::to_value(&definition).unwrap();
        let mut subs = BTreeMap::new();
        for option in json["options"].as_array().into_iter().flatten() {
            // Sub-command (1) or group (2).
            if option["type"] == 1 || option["type"] == 2 {
                subs.insert(option["name"].as_str().unwrap().to_string(), names(&option["options"]));
            }
        }
        if subs.is_empty() {
            subs.insert(String::new(), names(&json["options"]));
        }
        commands.insert(json["name"].as_str().unwrap().to_string(), subs);
    }
    commands
}

#[test]
fn every_command_and_option_the_guide_names_is_registered() {
    let commands = registered();
    // `/name`, an optional sub-command, then `option:` words, as the guide writes them in code.
    let code = regex::Regex::new(r"`(/[^`]+)`").unwrap();
    let mut checked = 0;
    for quoted in code.captures_iter(GUIDE) {
        let mut words = quoted[1].split_whitespace();
        let name = words.next().unwrap().trim_start_matches('/');
        let Some(subs) = commands.get(name) else { panic!("`/{name}` is not a command: {}", &quoted[1]) };
        let mut words = words.peekable();
        let sub = match words.peek() {
            Some(w) if subs.contains_key(*w) => words.next().unwrap_or_default(),
            _ if subs.contains_key("") => "",
            // A command of sub-commands named without one, as in "`/partner edit` or `/settings`".
            _ => {
                assert!(words.peek().is_none(), "`{}`: no such sub-command", &quoted[1]);
                continue;
            }
        };
        for word in words {
            if let Some((option, _)) = word.split_once(':') {
                assert!(subs[sub].iter().any(|o| o == option), "`{}`: no option {option}", &quoted[1]);
            }
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} commands checked");
}

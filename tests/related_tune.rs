use std::collections::HashMap;
use liaison::domain::ids::EntryId;
use liaison::domain::tag::parse_tag_list;
use liaison::domain::terms::of_entry;
use liaison::service::related::score::{rank_with, Threshold, THRESHOLD};
use liaison::store::Postings;

#[test]
fn tune() {
    let th = Threshold { min_topics: std::env::var("T").map(|v| v.parse().unwrap()).unwrap_or(THRESHOLD.min_topics), min_score: std::env::var("S").map(|v| v.parse().unwrap()).unwrap_or(THRESHOLD.min_score), min_share_of_mass: std::env::var("M").map(|v| v.parse().unwrap()).unwrap_or(THRESHOLD.min_share_of_mass) };
    let notes = std::fs::read_to_string("tests/corpus/notes.tsv").unwrap();
    let rows: Vec<Vec<String>> = notes.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).map(|l| l.split('\t').map(str::to_string).collect()).collect();
    let mut terms_of = Vec::new();
    let mut index: HashMap<String, Vec<i64>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let tags = parse_tag_list(&r[6]).unwrap();
        let words = of_entry(&r[7], &tags);
        if r[5] == "team" {
            for w in &words { index.entry(w.term.as_str().to_string()).or_default().push(i as i64 + 1); }
        }
        terms_of.push(words);
    }
    let key: HashMap<&str, usize> = rows.iter().enumerate().map(|(i, r)| (r[0].as_str(), i)).collect();
    let n = rows.iter().filter(|r| r[5] == "team").count() as u64;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/liaison.toml");
    let config = liaison::config::Config::parse(&path, &std::fs::read_to_string(&path).unwrap(), None, None).unwrap();
        let ranked = |i: usize| {
        let bg = liaison::service::related::background(&config.rules, &rows[i][7]);
        let words = &terms_of[i];
        let postings: Vec<Postings> = words.iter().map(|w| {
            let e = index.get(w.term.as_str()).cloned().unwrap_or_default();
            Postings { term: w.term.clone(), more: e.len() > 200, entries: e.into_iter().take(200).map(EntryId).collect() }
        }).collect();
        rank_with(&th, EntryId(i as i64 + 1), words, &postings, n, &bg).into_iter().filter(|s| rows[(s.id.0 - 1) as usize][1] != rows[i][1] && rows[(s.id.0-1) as usize][5] == "team").collect::<Vec<_>>()
    };
    let pairs = std::fs::read_to_string("tests/corpus/pairs.tsv").unwrap();
    let mut bad = 0;
    for l in pairs.lines().filter(|l| !l.starts_with('#')) {
        let p: Vec<&str> = l.split('\t').collect();
        let (a, b) = (key[p[1]], key[p[2]]);
        let r = ranked(a);
        let hit = r.iter().find(|s| s.id.0 == b as i64 + 1);
        let ok = (p[0] == "must") == hit.is_some();
        if !ok { bad += 1; }
        println!("{} {} {} -> {} {:?} | top: {:?}", if ok {"ok  "} else {"FAIL"}, p[0], p[1], p[2], hit.map(|s| (s.score, s.shared.clone())), r.iter().take(3).map(|s| (rows[(s.id.0-1) as usize][0].clone(), (s.score*100.0).round()/100.0, s.shared.clone())).collect::<Vec<_>>());
    }
    let mut total = 0; let mut none = 0;
    for i in 0..rows.len() { let c = ranked(i).len(); total += c; if c == 0 { none += 1; } }
    println!("bad {bad}; avg related per note {:.2}; notes with none {none}/{}", total as f64 / rows.len() as f64, rows.len());
    for i in 0..rows.len() { for s in ranked(i) { if s.score < 1.45 { println!("LOW {} -> {} {:.2} {:?}", rows[i][0], rows[(s.id.0-1) as usize][0], s.score, s.shared); } } }
    for k in ["misc1","misc8","misc14","misc23","hrs6","pat4","zot5","eebo3","sk1","intl1"] { let i = key[k]; println!("{k}: {:?}", ranked(i).iter().take(4).map(|s| (rows[(s.id.0-1) as usize][0].clone(), (s.score*100.0).round()/100.0, s.shared.clone())).collect::<Vec<_>>()); }
}

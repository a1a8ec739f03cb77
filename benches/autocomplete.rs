//! How long department autocomplete and resolution take on a large catalogue.
//!
//! Discord calls autocomplete on every keystroke and gives the bot three seconds for the whole
//! round trip, so the look-up itself should stay in microseconds. Run with
//! `cargo bench --bench autocomplete`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use liaison::domain::department::{DepartmentCatalogue, DepartmentSpec};

const DEPARTMENTS: usize = 500;
const ITERATIONS: usize = 2_000;
const WARM_UP: usize = 200;
const LIMIT: usize = 25;

const SUBJECTS: &[&str] = &[
    "History",
    "Art History",
    "Philosophy",
    "English Literature",
    "Linguistics",
    "Classics",
    "Archaeology",
    "Music",
    "Theology",
    "Modern Languages",
    "French",
    "German",
    "Spanish",
    "Chinese Studies",
    "Film Studies",
    "Drama",
    "Economics",
    "Politics",
    "International Relations",
    "Sociology",
    "Anthropology",
    "Psychology",
    "Law",
    "Education",
    "Social Policy",
    "Criminology",
    "Geography",
    "Management",
    "Accounting",
    "Finance",
    "Mathematics",
    "Statistics",
    "Computer Science",
    "Physics",
    "Astronomy",
    "Chemistry",
    "Biochemistry",
    "Biology",
    "Ecology",
    "Genetics",
    "Neuroscience",
    "Medicine",
    "Nursing",
    "Pharmacy",
    "Dentistry",
    "Public Health",
    "Veterinary Science",
    "Earth Sciences",
    "Materials Science",
    "Civil Engineering",
    "Mechanical Engineering",
    "Electrical Engineering",
    "Chemical Engineering",
    "Architecture",
];

const QUALIFIERS: &[&str] = &[
    "",
    "Applied",
    "Modern",
    "Medieval",
    "Clinical",
    "Computational",
    "Environmental",
    "Global",
    "Digital",
    "Experimental",
];

const FORMS: &[&str] =
    &["{}", "Department of {}", "School of {}", "Centre for {} Studies", "Institute of {}"];

fn catalogue() -> DepartmentCatalogue {
    let mut departments = Vec::with_capacity(DEPARTMENTS);
    let mut seen = std::collections::HashSet::new();
    'outer: for (q, qualifier) in QUALIFIERS.iter().enumerate() {
        for (s, subject) in SUBJECTS.iter().enumerate() {
            let subject =
                if qualifier.is_empty() { subject.to_string() } else { format!("{qualifier} {subject}") };
            let name = FORMS[(q + s) % FORMS.len()].replace("{}", &subject);
            if !seen.insert(name.to_lowercase()) {
                continue;
            }
            let n = departments.len();
            let initials: String = subject.split_whitespace().filter_map(|w| w.chars().next()).collect();
            departments.push(DepartmentSpec {
                name,
                aliases: vec![format!("{subject} dept {n}"), format!("{initials}-{n:03}")],
            });
            if departments.len() == DEPARTMENTS {
                break 'outer;
            }
        }
    }
    assert_eq!(departments.len(), DEPARTMENTS, "not enough distinct generated names");
    DepartmentCatalogue::new(departments).expect("generated names are distinct")
}

/// Per-call timings of `f`, after a warm-up.
fn time(mut f: impl FnMut() -> usize) -> (Vec<Duration>, usize) {
    let mut found = 0;
    for _ in 0..WARM_UP {
        found = black_box(f());
    }
    let mut samples = Vec::with_capacity(ITERATIONS);
    for _ in 0..ITERATIONS {
        let start = Instant::now();
        black_box(f());
        samples.push(start.elapsed());
    }
    (samples, found)
}

fn report(label: &str, (mut samples, found): (Vec<Duration>, usize)) -> f64 {
    samples.sort_unstable();
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    let mean = samples.iter().map(|&d| micros(d)).sum::<f64>() / samples.len() as f64;
    let p99 = micros(samples[(samples.len() * 99 / 100).min(samples.len() - 1)]);
    println!("{label:<34} {found:>7} {mean:>10.2} {p99:>10.2}");
    p99
}

fn main() {
    let catalogue = catalogue();
    println!("{} departments, {ITERATIONS} calls per row, limit {LIMIT}\n", catalogue.len());
    println!("{:<34} {:>7} {:>10} {:>10}", "call", "results", "mean µs", "p99 µs");
    println!("{}", "-".repeat(64));

    // Typed a character at a time, the way Discord sends them; the later words are misspelt.
    let typed =
        ["hist", "chemis", "engine", "comput", "hsitor", "chmeis", "enigne", "phsyic", "mathm", "xqzv"];
    let mut worst: f64 = 0.0;
    for word in typed {
        for len in 1..=word.len() {
            let partial = &word[..len];
            let label = format!("autocomplete({partial:?})");
            worst =
                worst.max(report(&label, time(|| catalogue.autocomplete(black_box(partial), LIMIT).len())));
        }
    }
    worst =
        worst.max(report("autocomplete(\"\")", time(|| catalogue.autocomplete(black_box(""), LIMIT).len())));

    println!();
    // Hits: a name as written, one shouted with its punctuation dropped, and an alias.
    let last = catalogue.iter().last().expect("the catalogue is not empty");
    let shouted = last.name().to_uppercase().replace(['.', ','], "");
    let hits = [last.name().to_string(), shouted, last.aliases()[1].to_string()];
    // Misses rank every department for suggestions; they happen once per mistyped command.
    let misses =
        ["hsi", "histroy", "Departmnet of Phyiscs", "Centre for Applied Chemsitry Studies", "xqzvxqzv"];
    for input in hits.iter().map(String::as_str).chain(misses) {
        let label = format!("resolve({input:?})");
        let label = if label.chars().count() > 34 {
            format!("{}…)", label.chars().take(30).collect::<String>())
        } else {
            label
        };
        report(&label, time(|| usize::from(catalogue.resolve(black_box(input)).is_ok())));
    }

    println!("\nslowest autocomplete p99: {worst:.2} µs");
}

//! The `liaison` binary, run as a person would run it, on a real SQLite file in a temp dir.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

struct Install {
    dir: TempDir,
}

impl Install {
    fn new() -> Self {
        Install { dir: TempDir::new().unwrap() }
    }

    fn db_path(&self) -> PathBuf {
        self.dir.path().join("liaison.db")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `liaison` with this install's database and the shipped config, and nothing from the
    /// environment of whoever runs the tests.
    fn cmd(&self) -> Command {
        self.cmd_with_db(&self.db_path())
    }

    fn cmd_with_db(&self, db: &Path) -> Command {
        self.cmd_with(&shipped_config(), db)
    }

    fn cmd_with(&self, config: &Path, db: &Path) -> Command {
        let mut cmd = Command::cargo_bin("liaison").unwrap();
        cmd.current_dir(self.dir.path())
            .env_remove("DATABASE_URL")
            .env_remove("LIAISON_CONFIG")
            .env_remove("LIAISON_TIMEZONE")
            .env_remove("LIAISON_DEFAULT_GUILD")
            .env("NO_COLOR", "1")
            .arg("--config")
            .arg(config)
            .arg("--database")
            .arg(format!("sqlite://{}", db.display()));
        cmd
    }

    fn add(&self, args: &[&str]) -> String {
        let out = self.cmd().arg("add").args(args).output().unwrap();
        assert!(out.status.success(), "add {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn export(&self, db: &Path) -> String {
        let out = self.cmd_with_db(db).args(["export", "--format", "csv"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// `liaison ARGS` on this install's database: its stdout, failing the test when it fails.
    fn run(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// `liaison ARGS`, which must fail as the user's mistake (exit 2): its stderr.
    fn refused(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stdout));
        String::from_utf8(out.stderr).unwrap()
    }

    fn partner_export(&self, db: &Path) -> String {
        let out = self.cmd_with_db(db).args(["partner", "export"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn entry_count(&self) -> usize {
        if !self.db_path().exists() {
            return 0;
        }
        // Counted in the JSON export: a CSV row spans lines where a cell holds a line break.
        let out = self.cmd().args(["export", "--format", "json"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json.as_array().map_or(0, Vec::len)
    }
}

fn shipped_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config/liaison.toml")
}

#[test]
fn help_lists_every_subcommand() {
    let out = Command::cargo_bin("liaison").unwrap().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for sub in [
        "add",
        "search",
        "show",
        "edit",
        "followups",
        "stats",
        "export",
        "report",
        "import",
        "partner",
        "event",
        "impact",
        "departments",
        "settings",
        "migrate",
        "check-config",
        "config",
    ] {
        assert!(help.contains(&format!("  {sub} ")), "--help lacks {sub}:\n{help}");
    }
    assert!(help.contains("  delete "), "--help lacks delete:\n{help}");
}

#[test]
fn add_then_search_finds_it_with_a_highlighted_snippet() {
    let install = Install::new();
    let saved = install.add(&[
        "--department",
        "hist",
        "--note",
        "Three PhD students asked for Early English Books Online training #EEBO",
        "--channel",
        "Enquiry desk",
        "--tags",
        "training, phd",
        "--author-name",
        "Alice",
    ]);
    assert!(
        saved.starts_with("Saved entry #1 · History · Enquiry desk · tags: training, phd, eebo"),
        "{saved}"
    );

    install
        .cmd()
        .args(["search", "books", "training"])
        .assert()
        .success()
        .stdout(predicate::str::contains("#1").and(predicate::str::contains("*training*")))
        .stdout(predicate::str::contains("History").and(predicate::str::contains("Alice")));

    install
        .cmd()
        .args(["search", "--department", "Chemistry"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No entries found."));

    let out = install.cmd().args(["show", "1", "--json"]).output().unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["department"], "History");
    assert_eq!(json["channel"], "desk");
    assert_eq!(json["tags"], "training phd eebo");
    assert_eq!(json["author_name"], "Alice");
}

#[test]
fn personal_data_is_redacted_before_it_is_stored_and_the_count_is_shown() {
    let install = Install::new();
    let saved = install.add(&[
        "-d",
        "Law",
        "-n",
        "Dr Jones (j.jones@example.ac.uk, 07700 900123) says student 20231234 needs Westlaw",
    ]);
    assert!(saved.contains("3 items redacted"), "{saved}");
    let csv = install.export(&install.db_path());
    assert!(csv.contains("Dr Jones ([email], [phone]) says student [id] needs Westlaw"), "{csv}");
    assert!(!csv.contains("example.ac.uk") && !csv.contains("900123") && !csv.contains("20231234"));
}

#[test]
fn an_unknown_department_is_refused_with_the_closest_names_and_nothing_is_written() {
    let install = Install::new();
    install.cmd().args(["add", "--department", "Histroy", "--note", "x"]).assert().code(2).stderr(
        predicate::str::contains("no department called \"Histroy\"").and(predicate::str::contains("History")),
    );
    assert_eq!(install.entry_count(), 0);
}

#[test]
fn bad_input_gets_a_clear_message_a_non_zero_exit_and_writes_nothing() {
    let install = Install::new();
    let long = "x".repeat(5000);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--department", "History", "--note", "   "], "the note is empty"),
        (vec!["--department", "History", "--note", &long], "5000 characters"),
        (
            vec!["--department", "History", "--note", "x", "--when", "the other day"],
            "not a date I understand",
        ),
        (vec!["--department", "History", "--note", "x", "--when", "in 3 days"], "in the future"),
        (
            vec!["--department", "History", "--note", "x", "--follow-up", "31/2/2027"],
            "not a date I understand",
        ),
        (vec!["--department", "History", "--note", "x", "--follow-up", "yesterday"], "in the past"),
        (vec!["--department", "History", "--note", "x", "--channel", "pub"], "no channel called \"pub\""),
        (
            vec!["--department", "History", "--note", "x", "-c", "seminar"],
            "no channel called \"seminar\"; did you mean \"research-seminar\"? the channels are: desk, email,",
        ),
        (
            vec!["--department", "History", "--note", "x", "--tags", "a,b,c,d,e,f,g,h,i,j,k"],
            "at most 10 tags",
        ),
    ];
    for (args, message) in cases {
        install
            .cmd()
            .arg("add")
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message).and(predicate::str::contains("error:")));
    }
    assert_eq!(install.entry_count(), 0);
}

#[test]
fn hostile_search_strings_are_just_words() {
    let install = Install::new();
    install.add(&["-d", "History", "-n", "Dr O'Neill wants loan renewal by email (C++ course)"]);
    for query in [
        "\"",
        "\"loan",
        "Dr O'Neill",
        "-foo",
        "title: x",
        "facets : g2",
        "AND",
        "loan OR renewal",
        "NEAR(loan renewal)",
        "(loan",
        "C++",
        "*",
        "loan*",
        "^loan",
        ":",
        "'; DROP TABLE entries; --",
    ] {
        install.cmd().args(["search", "--", query]).assert().success();
    }
    for query in ["Dr O'Neill", "loan OR renewal", "NEAR(loan renewal)", "(loan", "loan*", "^loan", "C++"] {
        install
            .cmd()
            .args(["search", "--json", "--", query])
            .assert()
            .success()
            .stdout(predicate::str::contains("\"total\": 1"));
    }
    // The table survived the injection attempt above.
    assert_eq!(install.entry_count(), 1);
}

/// Issue 12: a tag whose capitals have no lower case (`ℝ`) was saved, then could not be read:
/// `add` exited 1 and every listing that reached the entry failed.
#[test]
fn a_tag_of_capitals_without_a_lower_case_is_saved_and_read_back() {
    let install = Install::new();
    let typed = "ℝB".repeat(20);
    let stored = "ℝb".repeat(20);
    let saved = install.add(&["-d", "History", "-n", "x", "-t", &typed, "--follow-up", "today"]);
    assert!(saved.contains(&format!("tags: {stored}")), "{saved}");
    install.cmd().arg("followups").assert().success().stdout(predicate::str::contains("#1"));
    assert!(install.export(&install.db_path()).contains(&stored));
    install.cmd().args(["search", "x"]).assert().success().stdout(predicate::str::contains("#1"));
    install
        .cmd()
        .args(["search", "--json", "--tag", &typed])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"total\": 1"));
    install.cmd().args(["show", "1"]).assert().success();
}

/// Text pasted from anywhere is stored as a reader sees it, redacted as a reader sees it, and
/// reads back, exports and imports unchanged.
#[test]
fn pasted_unicode_is_stored_as_seen_and_round_trips_through_export_and_import() {
    let install = Install::new();
    let saved = install.add(&[
        "-d",
        "History",
        "-n",
        "write to jo\u{7}@x.ac.uk or jo\u{200B}.b+lib@mail.dept.ac.uk \u{202E}re: Cafe\u{301}\u{A0}Culture 👩\u{200D}💻 #İstanbul",
        "-t",
        "ℝB, ǅemal, Cafe\u{301}Culture, open\u{AD}access",
    ]);
    assert!(saved.contains("2 items redacted"), "{saved}");
    let first = install.export(&install.db_path());
    assert!(
        first.contains("write to [email] or [email] re: Caf\u{e9} Culture 👩\u{200D}💻 #İstanbul"),
        "{first}"
    );
    assert!(first.contains("ℝb ǆemal caf\u{e9}-culture openaccess i\u{307}stanbul"), "{first}");
    let csv_path = install.path("export.csv");
    std::fs::write(&csv_path, &first).unwrap();
    let other_db = install.path("other.db");
    install.cmd_with_db(&other_db).arg("import").arg(&csv_path).assert().success();
    assert_eq!(install.export(&other_db), first, "export → import → export changed something");
    install
        .cmd()
        .args(["search", "cafe", "istanbul"])
        .assert()
        .success()
        .stdout(predicate::str::contains("#1"));
}

#[test]
fn export_then_import_round_trips_every_field() {
    let install = Install::new();
    install.add(&[
        "-d",
        "Engineering",
        "-n",
        "Module leader wants a \"reading list\" review,\nbefore term; ask about IEEE Xplore",
        "-c",
        "coffee",
        "-t",
        "reading-lists",
        "--when",
        "yesterday",
        "--follow-up",
        "in 7 days",
        "--author-id",
        "18446744073709551615",
        "--author-name",
        "Bob, the librarian",
        "--source",
        "https://discord.com/channels/1/2/3",
    ]);
    install.add(&["-d", "Music", "-n", "Call 07700 900123 about scores", "--when", "3 days ago"]);
    install.add(&["-d", "Physics", "-n", "Open access question", "--follow-up", "tomorrow"]);
    install.cmd().args(["followups", "--done", "3"]).assert().success();

    let first = install.export(&install.db_path());
    assert_eq!(first.lines().next().unwrap(), liaison::service::record::COLUMNS.join(","));
    let csv_path = install.path("export.csv");
    install.cmd().args(["export", "--output"]).arg(&csv_path).assert().success();
    assert_eq!(std::fs::read_to_string(&csv_path).unwrap(), first);

    let other_db = install.path("other.db");
    install
        .cmd_with_db(&other_db)
        .arg("import")
        .arg(&csv_path)
        .assert()
        .success()
        .stdout(predicate::str::contains("imported 3 entries"));
    assert_eq!(install.export(&other_db), first, "export → import → export changed something");

    // The same file again (as after an import that was stopped): every row is stored as the file
    // has it, so nothing is written twice and the rows are counted as skipped.
    install.cmd_with_db(&other_db).arg("import").arg(&csv_path).assert().success().stdout(
        predicate::str::contains("imported 0 entries")
            .and(predicate::str::contains("skipped 3 already in the database, unchanged")),
    );
    assert_eq!(install.export(&other_db), first);

    let json = install.cmd().args(["export", "--format", "json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert_eq!(json[0]["author_id"], "18446744073709551615");
    assert_eq!(json[0]["follow_up_status"], "open");
    assert_eq!(json[2]["follow_up_status"], "done");
}

#[test]
fn an_import_run_again_writes_what_is_missing_and_refuses_a_row_that_differs() {
    let install = Install::new();
    for note in ["first note", "second note", "third note"] {
        install.add(&["-d", "History", "-n", note]);
    }
    let csv = install.export(&install.db_path());
    let lines: Vec<&str> = csv.lines().collect();
    let part = install.path("part.csv");
    std::fs::write(&part, format!("{}\n{}\n", lines[0], lines[1])).unwrap();
    let whole = install.path("whole.csv");
    std::fs::write(&whole, &csv).unwrap();
    let other_db = install.path("other.db");

    install
        .cmd_with_db(&other_db)
        .arg("import")
        .arg(&part)
        .assert()
        .success()
        .stdout("imported 1 entry from part.csv\n".replace("part.csv", &part.display().to_string()));
    install.cmd_with_db(&other_db).arg("import").arg(&whole).assert().success().stdout(
        predicate::str::contains("imported 2 entries")
            .and(predicate::str::contains("skipped 1 already in the database, unchanged")),
    );
    assert_eq!(install.export(&other_db), csv);

    // The same id with different content is someone else's entry, or this one edited since: refused,
    // and nothing from the file is written.
    let changed = install.path("changed.csv");
    let extra = lines[3].replacen("3,", "4,", 1);
    std::fs::write(
        &changed,
        format!("{}\n{}\n{}\n", lines[0], lines[2].replace("second note", "second note edited"), extra),
    )
    .unwrap();
    install.cmd_with_db(&other_db).arg("import").arg(&changed).assert().code(2).stderr(
        predicate::str::contains("nothing was imported: 1 row needs").and(predicate::str::contains(
            "line 2: id: entry 2 is already in the database, different from this row",
        )),
    );
    assert_eq!(install.export(&other_db), csv, "nothing written");
}

#[test]
fn an_import_with_bad_rows_names_them_and_imports_nothing() {
    let install = Install::new();
    install.add(&["-d", "History", "-n", "good one"]);
    let csv = install.export(&install.db_path());
    let good = csv.lines().nth(1).unwrap().to_string();
    let header = csv.lines().next().unwrap();
    let renumber = |row: &str, id: u32| format!("{id}{}", &row[row.find(',').unwrap()..]);
    let file = format!(
        "{header}\n{}\n{}\n{}\n{}\n",
        renumber(&good, 10),
        renumber(&good, 11).replace("History", "Alchemy"),
        renumber(&good, 12),
        renumber(&good, 13).replace(",desk,", ",pub,"),
    );
    let path = install.path("bad.csv");
    std::fs::write(&path, file).unwrap();
    let other_db = install.path("other.db");
    install.cmd_with_db(&other_db).arg("import").arg(&path).assert().code(2).stderr(
        predicate::str::contains("nothing was imported: 2 rows need")
            .and(predicate::str::contains("line 3: department"))
            .and(predicate::str::contains("line 5: channel")),
    );
    assert_eq!(install.export(&other_db).lines().count(), 1, "only the header: nothing imported");
}

#[test]
fn follow_ups_list_overdue_first_and_can_be_marked_done() {
    let install = Install::new();
    install.add(&["-d", "History", "-n", "Send the EEBO guide", "--follow-up", "friday"]);
    install.add(&["-d", "Law", "-n", "Check Westlaw access", "--follow-up", "today"]);
    let out = install.cmd().arg("followups").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("#2") && lines[1].starts_with("#1"), "soonest due first:\n{text}");
    install.cmd().args(["followups", "--done", "2"]).assert().success();
    install
        .cmd()
        .args(["followups", "--done", "99"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no entry #99"));
    let out = install.cmd().arg("followups").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
}

/// Runs `sql` on the install's database behind liaison's back, CHECK constraints off, as a hand
/// edit or an older version could have written it.
fn write_behind(install: &Install, sql: &str) {
    use sqlx::{Connection, Executor};
    let url = format!("sqlite://{}", install.db_path().display());
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        conn.execute("PRAGMA ignore_check_constraints = ON").await.unwrap();
        conn.execute(sql).await.unwrap();
    });
}

#[test]
fn an_entry_that_cannot_be_read_is_said_so_left_out_of_lists_and_can_be_deleted() {
    let install = Install::new();
    install.add(&["-d", "History", "-n", "Send the EEBO guide", "--follow-up", "friday"]);
    install.add(&["-d", "Law", "-n", "Check Westlaw access", "--follow-up", "today"]);
    // A follow-up without its owner: what the schema forbids and a hand edit can leave.
    write_behind(&install, "UPDATE entries SET follow_up_owner = NULL WHERE id = 2");

    install
        .cmd()
        .args(["show", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("entry #2 could not be read"));
    let out = install.cmd().arg("followups").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("#1") && text.lines().count() == 1, "the readable one only:\n{text}");
    let log = String::from_utf8(out.stderr).unwrap();
    assert!(log.contains("entry=2") && !log.contains("Westlaw"), "logged by id, never its text:\n{log}");
    assert_eq!(install.entry_count(), 1, "export leaves it out");
    // A search that reaches it names it, and counts it, where the others are listed.
    install.cmd().args(["search", "westlaw"]).assert().success().stdout(
        predicate::str::contains("1 result (page 1 of 1)").and(predicate::str::contains(
            "#2      entry #2 could not be read (`liaison delete 2` removes it)",
        )),
    );
    install
        .cmd()
        .args(["search", "--json", "westlaw"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"unreadable\": [\n    \"2\"\n  ]"));

    install.cmd().args(["delete", "2"]).assert().code(2).stderr(predicate::str::contains("--yes"));
    install
        .cmd()
        .args(["delete", "2", "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Deleted entry #2."));
    install.cmd().args(["show", "2"]).assert().code(2).stderr(predicate::str::contains("no entry #2"));
    install
        .cmd()
        .args(["delete", "99", "--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no entry #99"));
    install.cmd().args(["show", "1"]).assert().success();
}

#[test]
fn stats_count_informal_channels() {
    let install = Install::new();
    install.add(&["-d", "History", "-n", "a", "-c", "coffee"]);
    install.add(&["-d", "History", "-n", "b", "-c", "desk"]);
    install.add(&["-d", "Law", "-n", "c", "-c", "corridor"]);
    let out = install.cmd().args(["stats", "--period", "all", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["total"], 3);
    assert_eq!(json["by_department"][0]["key"], "History");
    assert_eq!(json["by_department"][0]["count"], 2);
    let informal = json["by_formality"].as_array().unwrap().iter().find(|c| c["key"] == "informal").unwrap();
    assert_eq!(informal["count"], 2);
    install
        .cmd()
        .args(["stats", "--period", "fortnight"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("week, month, term, semester, year, last-year, all"));
}

#[test]
fn stats_take_academic_periods_and_inclusive_dates() {
    let install = Install::new();
    for when in ["2025-09-01", "2026-08-31", "2026-10-01", "2026-10-31", "2026-11-01"] {
        install.add(&["-d", "History", "-n", "n", "--when", when]);
    }
    let json = |args: &[&str]| -> serde_json::Value {
        serde_json::from_str(&install.run(&[&["stats", "--json"], args].concat())).unwrap()
    };
    let october = json(&["--since", "2026-10-01", "--until", "2026-10-31"]);
    assert_eq!(october["total"], 2, "{october}");
    assert_eq!(october["period"]["kind"], "dates");
    assert_eq!(october["period"]["first_day"], "2026-10-01");
    assert_eq!(october["period"]["last_day"], "2026-10-31");
    let last_year = json(&["-p", "last-year"]);
    assert_eq!(last_year["total"], 2, "both ends of the year: {last_year}");
    assert_eq!(last_year["period"]["first_day"], "2025-09-01");
    assert_eq!(last_year["period"]["last_day"], "2026-08-31");

    let text = install.run(&["stats", "--since", "2026-10-01", "--until", "2026-10-31"]);
    assert!(text.starts_with("1 Oct 2026 to 31 Oct 2026\n2 entries\n"), "{text}");
    let text = install.run(&["stats", "-p", "last-year", "-d", "hist"]);
    assert!(
        text.starts_with("Academic year 2025–26: 1 Sep 2025 to 31 Aug 2026 · History\n2 entries"),
        "{text}"
    );
    let refused = install.refused(&["stats", "--since", "2026-11-01", "--until", "2026-10-01"]);
    assert!(refused.contains("the period starts (1 Nov 2026) after it ends (1 Oct 2026)"), "{refused}");
    let refused = install.refused(&["stats", "--since", "sometime"]);
    assert!(refused.contains("\"sometime\" is not a date"), "{refused}");
}

#[test]
fn check_config_shows_what_it_resolved_and_names_a_bad_key() {
    let install = Install::new();
    install.cmd().arg("check-config").assert().success().stdout(
        predicate::str::contains("timezone: Europe/London")
            .and(predicate::str::contains("History (aliases"))
            .and(predicate::str::contains("academic year: starts 09-01"))
            .and(predicate::str::is_match(r"term +Spring term +01-01 to 03-31").unwrap())
            .and(predicate::str::is_match(r"semester +Semester 1 +09-01 to 01-31").unwrap()),
    );
    let bad = install.path("bad.toml");
    let text = std::fs::read_to_string(shipped_config()).unwrap().replace("timezone = ", "time_zone = ");
    std::fs::write(&bad, text).unwrap();
    Command::cargo_bin("liaison")
        .unwrap()
        .arg("--config")
        .arg(&bad)
        .arg("check-config")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("time_zone"));
    let overlapping =
        std::fs::read_to_string(shipped_config()).unwrap().replacen("end = \"12-31\"", "end = \"01-15\"", 1);
    std::fs::write(&bad, overlapping).unwrap();
    install
        .cmd_with(&bad, &install.db_path())
        .arg("check-config")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("academic.terms").and(predicate::str::contains("overlap")));
}

#[test]
fn migrate_creates_the_database_and_the_guild_must_be_known() {
    let install = Install::new();
    assert!(!install.db_path().exists());
    install.cmd().arg("migrate").assert().success();
    assert!(install.db_path().exists());

    let config = std::fs::read_to_string(shipped_config()).unwrap().replace("default_guild = \"0\"", "");
    let no_guild = install.path("no-guild.toml");
    std::fs::write(&no_guild, config).unwrap();
    Command::cargo_bin("liaison")
        .unwrap()
        .current_dir(install.dir.path())
        .env_remove("LIAISON_DEFAULT_GUILD")
        .arg("--config")
        .arg(&no_guild)
        .arg("--database")
        .arg(format!("sqlite://{}", install.db_path().display()))
        .args(["search", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--guild"));
}

/// Entries written before the terms index (or by an older version of it) are indexed by
/// `migrate`, which says how many; a second run has nothing left to index.
#[test]
fn migrate_indexes_the_terms_of_older_entries() {
    let install = Install::new();
    install.add(&["-d", "History", "-n", "Walrus ivory catalogue query"]);
    install.add(&["-d", "Law", "-n", "Westlaw outage again"]);
    write_behind(&install, "UPDATE entries SET terms = NULL, terms_version = 0");
    assert_eq!(term_rows(&install), 0);
    install.cmd().arg("migrate").assert().success().stdout(
        predicate::str::contains("indexed the terms of 2 entries")
            .and(predicate::str::contains("up to date")),
    );
    assert!(term_rows(&install) >= 4, "each note's words");
    install.cmd().arg("migrate").assert().success().stdout(predicate::str::contains("indexed").not());
}

/// How many rows the terms index holds, read behind liaison's back.
fn term_rows(install: &Install) -> i64 {
    use sqlx::Connection;
    let url = format!("sqlite://{}", install.db_path().display());
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query_scalar("SELECT count(*) FROM entry_terms").fetch_one(&mut conn).await.unwrap()
    })
}

#[test]
fn guilds_do_not_see_each_other() {
    let install = Install::new();
    install
        .cmd()
        .args(["--guild", "111", "add", "-d", "History", "-n", "guild one secret"])
        .assert()
        .success();
    install
        .cmd()
        .args(["--guild", "222", "search", "secret"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No entries found."));
    install.cmd().args(["--guild", "222", "show", "1"]).assert().code(2);
    install.cmd().args(["--guild", "111", "show", "1"]).assert().success();
}

#[test]
fn digest_prints_a_week_as_text_json_or_discord_messages() {
    let install = Install::new();
    install.add(&["-d", "History", "-n", "EEBO training for PhDs", "-c", "coffee", "--when", "2026-11-18"]);
    install.add(&[
        "-d",
        "History",
        "-n",
        "Archive visit",
        "--when",
        "2026-11-17",
        "--follow-up",
        "in 7 days",
    ]);
    install.add(&["-d", "Law", "-n", "Westlaw outage", "-c", "desk", "--when", "2026-11-19"]);
    install.add(&["-d", "Law", "-n", "Outside the week", "--when", "2026-11-24"]);

    let out = install.cmd().args(["digest", "--week", "2026-W47"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Week 47, 16–22 Nov 2026"), "{text}");
    assert!(
        text.contains("History") && text.contains("EEBO training") && !text.contains("Outside the week"),
        "{text}"
    );

    let out = install.cmd().args(["digest", "--week", "2026-W47", "--format", "json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["headline"]["entries"], 3, "{json}");
    assert_eq!(json["departments"][0]["department"], "History");

    let chart = install.path("chart.png");
    let out = install
        .cmd()
        .args(["digest", "--week", "2026-W47", "--format", "discord-json", "--chart"])
        .arg(&chart)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let messages: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &messages[0];
    assert_eq!(first["allowed_mentions"]["parse"], serde_json::json!([]));
    assert_eq!(first["embeds"][0]["image"]["url"], "attachment://chart.png");
    assert!(std::fs::read(&chart).unwrap().starts_with(b"\x89PNG\r\n\x1a\n"));

    install
        .cmd()
        .args(["digest", "--week", "2026-W60"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a week"));
}

/// Issue 17: the printed digest opens, after its numbers, with what two people in two departments
/// both heard about, and each entry behind it.
#[test]
fn the_printed_digest_shows_what_was_heard_across_teams() {
    let install = Install::new();
    let by = |id: &'static str, name: &'static str, department: &'static str, note: &'static str, when| {
        install.add(&[
            "--author-id",
            id,
            "--author-name",
            name,
            "-d",
            department,
            "-n",
            note,
            "--when",
            when,
        ]);
    };
    by("11", "Ann", "History", "Research data management for the ESRC bid", "2026-11-17");
    by("12", "Ben", "Law", "The law school wants research data management", "2026-11-18");
    by("12", "Ben", "Law", "Walrus ivory catalogue", "2026-11-19");

    let text = run_ok(&install, &["digest", "--week", "2026-W47"]);
    let section = text.find("HEARD ACROSS TEAMS (1)").unwrap_or_else(|| panic!("no section: {text}"));
    assert!(section < text.find("BY DEPARTMENT").unwrap(), "{text}");
    assert!(
        text.contains(
            "  Research data management · new · 2 entries\n    #1 Ann · History\n    #2 Ben · Law\n"
        ),
        "{text}"
    );
    assert!(!text[section..text.find("BY DEPARTMENT").unwrap()].contains("#3"), "{text}");

    let json: serde_json::Value =
        serde_json::from_str(&run_ok(&install, &["digest", "--week", "2026-W47", "--format", "json"]))
            .unwrap();
    assert_eq!(json["across"][0]["topic"], "Research data management", "{json}");
    assert_eq!(json["across"][0]["trend"], "new", "{json}");
}

fn run_ok(install: &Install, args: &[&str]) -> String {
    let out = install.cmd().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A config of two departments, `first` with `aliases`, and the channels every config needs.
fn small_config(install: &Install, file: &str, first: &str, aliases: &[&str]) -> PathBuf {
    let aliases: Vec<String> = aliases.iter().map(|a| format!("{a:?}")).collect();
    let text = format!(
        "timezone = \"Europe/London\"\ndefault_guild = \"0\"\ndefault_channel = \"desk\"\n\n\
         [[channels]]\nkey = \"desk\"\nname = \"Enquiry desk\"\ninformal = false\n\n\
         [[departments]]\nname = {first:?}\naliases = [{}]\n\n\
         [[departments]]\nname = \"Physics\"\n",
        aliases.join(", ")
    );
    let path = install.path(file);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_department_renamed_with_its_old_name_as_an_alias_still_finds_its_entries() {
    let install = Install::new();
    let db = install.db_path();
    let before = small_config(&install, "before.toml", "History", &["hist"]);
    let after =
        small_config(&install, "after.toml", "History and Classics", &["History", "hist", "Classics"]);
    let run = |config: &Path, args: &[&str]| {
        let out = install.cmd_with(config, &db).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let note = ["-n", "EEBO training for PhD students", "--when", "2026-11-18", "--follow-up", "in 7 days"];
    run(&before, &[&["add", "-d", "History"][..], &note].concat());
    run(&before, &["add", "-d", "Physics", "-n", "Telescope time", "--when", "2026-11-18"]);

    for department in ["History and Classics", "hist", "history"] {
        for query in [&["EEBO"][..], &[]] {
            let args = [&["search", "--json", "-d", department][..], query].concat();
            let json: serde_json::Value = serde_json::from_str(&run(&after, &args)).unwrap();
            assert_eq!(json["total"], 1, "{args:?}: {json}");
            assert_eq!(json["hits"][0]["id"], "1", "{args:?}: {json}");
        }
    }
    let shown = run(&after, &["show", "1"]);
    assert!(shown.contains("department  History and Classics"), "{shown}");
    let table = run(&after, &["search", "-d", "Classics"]);
    assert!(table.contains("History and Classics") && table.contains("#1"), "{table}");
    let follow_ups = run(&after, &["followups", "-d", "History and Classics"]);
    assert!(follow_ups.starts_with("#1") && follow_ups.contains("History and Classics"), "{follow_ups}");
    let exported = run(&after, &["export", "-d", "History and Classics"]);
    assert_eq!(exported.lines().count(), 2, "the header and the entry:\n{exported}");
    assert!(exported.lines().nth(1).unwrap().starts_with("1,0,0,"), "{exported}");
    // An export keeps what the entry was filed under.
    assert!(exported.contains(",History,desk,"), "{exported}");

    // Heard from when Physics was, under its old name: quiet exactly when Physics is, never
    // "never heard from".
    let digest = |week: &str| -> serde_json::Value {
        serde_json::from_str(&run(&after, &["digest", "--week", week, "--format", "json"])).unwrap()
    };
    let next = digest("2026-W48");
    let quiet = |name: &str| {
        let listed = next["quiet"]["departments"].as_array().unwrap();
        listed.iter().find(|d| d["department"] == name).map(|d| d["last_heard"].clone())
    };
    assert_eq!(quiet("History and Classics"), quiet("Physics"), "{next}");

    // Filed under the new name now, and found with the old entry under either name.
    run(&after, &["add", "-d", "hist", "-n", "Classics reading list", "--when", "2026-11-19"]);
    let json: serde_json::Value =
        serde_json::from_str(&run(&after, &["search", "--json", "-d", "History"])).unwrap();
    assert_eq!(json["total"], 2, "{json}");
    let stats: serde_json::Value =
        serde_json::from_str(&run(&after, &["stats", "--json", "--period", "all"])).unwrap();
    assert_eq!(stats["by_department"][0]["label"], "History and Classics", "{stats}");
    assert_eq!(stats["by_department"][0]["count"], 2, "one count for both names: {stats}");

    // Both names are one department in the digest, under the new one.
    let week = digest("2026-W47");
    assert_eq!(week["departments"][0]["department"], "History and Classics", "{week}");
    assert_eq!(week["departments"][0]["entries"], 2, "{week}");
    assert_eq!(week["departments"].as_array().unwrap().len(), 2, "{week}");
}

/// The cells of an export's rows (the header left out), as a spreadsheet would see them.
fn cells(csv: &str) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

#[test]
fn export_neutralises_formulas_and_import_undoes_it_byte_for_byte() {
    let install = Install::new();
    // Each character OWASP lists, at the start of a note and of an author's name; and notes that
    // already start with a quote, which must come back with exactly as many.
    let starts = ["=", "+", "-", "@", "\t", "\r"];
    for start in starts {
        let note = format!("{start}HYPERLINK(\"http://evil.example\",\"x\")");
        let name = format!("{start}cmd|' /C calc'!A0");
        // `--note=-…`: after a space, clap would take a leading `-` for an option.
        install.add(&["-d", "History", &format!("--note={note}"), &format!("--author-name={name}")]);
    }
    for note in ["'=1+1", "''-2", "'quoted", "plain = fine"] {
        install.add(&["-d", "History", &format!("--note={note}"), "--author-name", "Ada"]);
    }
    // A separator another locale's spreadsheet splits on, then a formula: a cell of its own there.
    install.add(&["-d", "History", "--note=cost;=1+1 and a\t@SUM(A1)", "--author-name=Bo;-2+3"]);

    let first = install.export(&install.db_path());
    let rows = cells(&first);
    assert_eq!(rows.len(), 11);
    // As a spreadsheet splits it: on commas, and on semicolons or tabs in other locales.
    for separator in [b',', b';', b'\t'] {
        let mut reader =
            csv::ReaderBuilder::new().delimiter(separator).flexible(true).from_reader(first.as_bytes());
        for cell in reader.records().flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>()) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula a spreadsheet splitting on {:?} would run: {cell:?}",
                separator as char
            );
        }
    }
    assert_eq!(rows[10][7], "cost;'=1+1 and a\t'@SUM(A1)");
    let (name, note) = (3, 7);
    // Notes and names are trimmed when saved, so a leading tab or return goes, and what follows
    // (here `H` or `c`) is not a formula.
    let expected = [
        ("'=cmd|' /C calc'!A0", "'=HYPERLINK(\"http://evil.example\",\"x\")"),
        ("'+cmd|' /C calc'!A0", "'+HYPERLINK(\"http://evil.example\",\"x\")"),
        ("'-cmd|' /C calc'!A0", "'-HYPERLINK(\"http://evil.example\",\"x\")"),
        ("'@cmd|' /C calc'!A0", "'@HYPERLINK(\"http://evil.example\",\"x\")"),
        ("cmd|' /C calc'!A0", "HYPERLINK(\"http://evil.example\",\"x\")"),
        ("cmd|' /C calc'!A0", "HYPERLINK(\"http://evil.example\",\"x\")"),
    ];
    for (row, (want_name, want_note)) in rows.iter().zip(expected) {
        assert_eq!((row[name].as_str(), row[note].as_str()), (want_name, want_note));
    }
    let quoted: Vec<&str> = rows[6..10].iter().map(|r| r[note].as_str()).collect();
    assert_eq!(quoted, ["''=1+1", "'''-2", "'quoted", "plain = fine"]);

    // JSON is not opened by a spreadsheet: it carries the text as stored.
    let json = install.cmd().args(["export", "--format", "json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json[0]["note"], "=HYPERLINK(\"http://evil.example\",\"x\")");
    assert_eq!(json[6]["note"], "'=1+1");

    let csv_path = install.path("export.csv");
    std::fs::write(&csv_path, &first).unwrap();
    let other_db = install.path("other.db");
    install.cmd_with_db(&other_db).arg("import").arg(&csv_path).assert().success();
    assert_eq!(install.export(&other_db), first, "export → import → export changed something");
    let shown = install.cmd_with_db(&other_db).args(["show", "7", "--json"]).output().unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["note"], "'=1+1", "imported as it was written, one quote taken off: {shown}");

    // A formula typed into a file by hand has no quote to take off: it is imported as it is, and
    // neutralised on the way out again.
    let handmade = first.replacen("'=HYPERLINK", "=HYPERLINK", 1).replace("\n1,", "\n101,");
    let handmade: String = handmade.lines().take(2).map(|l| format!("{l}\n")).collect();
    let path = install.path("handmade.csv");
    std::fs::write(&path, &handmade).unwrap();
    let third_db = install.path("third.db");
    install.cmd_with_db(&third_db).arg("import").arg(&path).assert().success();
    let again = install.export(&third_db);
    assert_eq!(cells(&again)[0][note], "'=HYPERLINK(\"http://evil.example\",\"x\")");
}

#[cfg(unix)]
#[test]
fn an_export_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let install = Install::new();
    install.add(&["-d", "History", "-n", "private"]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;

    let out = install.path("export.csv");
    install.cmd().args(["export", "--output"]).arg(&out).assert().success();
    assert_eq!(mode(&out), 0o600);

    // An export killed part-way leaves its temporary file, perhaps made by an older version that
    // created it world-readable; and a file already at the destination may be too. Neither's
    // permissions survive: the temporary file is made anew, owner-only, and renamed over both.
    let out = install.path("again.json");
    let partial = install.path("again.json.partial");
    for stale in [&out, &partial] {
        std::fs::write(stale, "stale").unwrap();
        std::fs::set_permissions(stale, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    install.cmd().args(["export", "--format", "json", "--output"]).arg(&out).assert().success();
    assert_eq!(mode(&out), 0o600);
    assert!(std::fs::read_to_string(&out).unwrap().contains("private"));
    assert!(!partial.exists(), "the temporary file was renamed into place");
}

#[test]
fn forget_guild_deletes_a_servers_data_at_once_and_the_privacy_log_records_it() {
    let install = Install::new();
    install.add(&["-d", "History", "-n", "Archive visit planned"]);
    install.add(&["-d", "Law", "-n", "Westlaw question"]);
    install
        .cmd()
        .args(["--guild", "7", "add", "-d", "Music", "-n", "Another server's note"])
        .assert()
        .success();
    install.cmd().args(["privacy", "log"]).assert().success().stdout("Nothing erased or expired yet.\n");

    install
        .cmd()
        .args(["privacy", "forget-guild", "0"])
        .env("USER", "dpo")
        .assert()
        .success()
        .stdout("Forgot server 0: 2 entries and everything else stored for it deleted.\n");
    assert_eq!(install.entry_count(), 0);
    install
        .cmd()
        .args(["--guild", "7", "search", "another"])
        .assert()
        .success()
        .stdout(predicate::str::contains("#3"));
    let log = install.cmd().args(["privacy", "log", "--json"]).output().unwrap();
    let log: serde_json::Value = serde_json::from_slice(&log.stdout).unwrap();
    assert_eq!(log[0]["action"], "forget-guild");
    assert_eq!(log[0]["entries"], 2);
    assert_eq!(log[0]["by"], "liaison CLI (dpo)");
    install.cmd().args(["privacy", "forget-guild", "x"]).assert().code(2);
}

/// Retention from the command line: a dry run counts and changes nothing, the pass clears the
/// text past the period (here 365 days, the shipped config's) and records it, a second pass finds
/// nothing, and an expired entry goes through export and import unchanged.
#[test]
fn privacy_expire_counts_then_clears_records_and_round_trips() {
    use liaison::domain::privacy::{EXPIRED_AUTHOR, EXPIRED_TEXT};
    let install = Install::new();
    install.add(&[
        "-d",
        "History",
        "-n",
        "Walrus ivory catalogue query from Dr Okafor",
        "-t",
        "special-collections",
        "--source",
        "https://discord.com/channels/1/2/3",
        "--author-name",
        "Bea the librarian",
    ]);
    install.add(&["-d", "History", "-n", "Walrus photographs, recent"]);
    // Recorded 400 days ago: past the period. (`add` records now, whatever `--when` says.)
    write_behind(&install, "UPDATE entries SET created_at = created_at - 400 * 86400000 WHERE id = 1");
    let before = install.export(&install.db_path());
    let expire = |args: &[&str]| {
        let out =
            install.cmd().env("USER", "tester").args(["privacy", "expire"]).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };

    assert_eq!(expire(&["--dry-run"]), "guild 0: would clear 1 entry\ntotal: would clear 1 entry\n");
    assert_eq!(install.export(&install.db_path()), before, "a dry run changed something");
    install
        .cmd()
        .args(["privacy", "log"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Nothing erased or expired yet."));

    assert_eq!(expire(&[]), "guild 0: cleared 1 entry\ntotal: cleared 1 entry\n");
    assert_eq!(expire(&[]), "Nothing to clear.\n");
    let json: serde_json::Value = serde_json::from_slice(&expire(&["--json"]).into_bytes()).unwrap();
    assert_eq!(json, serde_json::json!([]));

    let log = install.cmd().args(["privacy", "log", "--json"]).output().unwrap();
    let log: serde_json::Value = serde_json::from_slice(&log.stdout).unwrap();
    assert_eq!(log.as_array().map(Vec::len), Some(1), "{log}");
    assert_eq!(
        (&log[0]["action"], &log[0]["entries"], &log[0]["by"], &log[0]["guild_id"]),
        (
            &serde_json::json!("expire"),
            &serde_json::json!(1),
            &serde_json::json!("liaison CLI (tester)"),
            &serde_json::json!("0")
        )
    );

    let shown = install.cmd().args(["show", "1"]).output().unwrap();
    let shown = String::from_utf8(shown.stdout).unwrap();
    assert!(shown.contains(EXPIRED_TEXT) && shown.contains(EXPIRED_AUTHOR), "{shown}");
    assert!(!shown.contains("Walrus") && !shown.contains("Bea") && !shown.contains("discord.com"), "{shown}");
    assert!(shown.contains("special-collections"), "{shown}");
    let found = install.cmd().args(["search", "walrus", "--json"]).output().unwrap();
    let found: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    assert_eq!(found["hits"].as_array().map(Vec::len), Some(1), "{found}");
    assert_eq!(found["hits"][0]["id"], "2", "{found}");

    // Export → import → export: the same bytes, the placeholders in and out, stored cleared.
    let first = install.export(&install.db_path());
    assert!(first.contains(EXPIRED_TEXT) && !first.contains("Walrus ivory"), "{first}");
    let csv_path = install.path("expired.csv");
    std::fs::write(&csv_path, &first).unwrap();
    let other_db = install.path("other.db");
    install.cmd_with_db(&other_db).arg("import").arg(&csv_path).assert().success();
    assert_eq!(install.export(&other_db), first, "export → import → export changed an expired entry");
    let again = install.cmd_with_db(&other_db).args(["search", "retention", "policy"]).output().unwrap();
    assert_eq!(String::from_utf8(again.stdout).unwrap(), "No entries found.\n");
}

#[test]
fn privacy_find_lists_mentions_and_erase_removes_them_and_is_logged() {
    let install = Install::new();
    for (note, author) in [
        ("José García asked for EEBO training", "7"),
        ("Jose wants Westlaw; JOSEPHINE does not", "7"),
        ("Nothing about anyone", "8"),
    ] {
        install.add(&["--department", "hist", "--note", note, "--author-id", author, "--author-name", "Ann"]);
    }
    let run = |args: &[&str]| {
        let out = install.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let table = run(&["privacy", "find", "josé"]);
    assert!(table.starts_with("2 entries mentioning it\n"), "{table}");
    let csv = run(&["privacy", "find", "JOSE", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 3, "a header and two rows: {csv}");
    assert!(csv.starts_with("id,guild_id,author_id,author_name,"), "the export's columns: {csv}");
    let json: serde_json::Value =
        serde_json::from_str(&run(&["privacy", "find", "jose", "-f", "json"])).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(2));
    assert_eq!(json[0]["note"], "José García asked for EEBO training");
    assert_eq!(run(&["privacy", "find", "nobody", "-f", "json"]), "[]\n");

    assert_eq!(
        run(&["privacy", "erase", "--text", "José", "--dry-run"]),
        "would erase \"José\" in 2 entries\n"
    );
    assert_eq!(run(&["privacy", "log", "--json"]).trim(), "[]", "a dry run records nothing");
    assert_eq!(run(&["privacy", "erase", "--text", "José"]), "erased \"José\" in 2 entries\n");
    assert!(run(&["search", "jose"]).starts_with("No entries found."));
    assert_eq!(run(&["privacy", "find", "jose"]), "No entries mention it.\n");
    assert!(run(&["show", "1"]).contains("[erased] García asked"));
    let log: serde_json::Value = serde_json::from_str(&run(&["privacy", "log", "--json"])).unwrap();
    assert_eq!((log[0]["action"].as_str(), log[0]["entries"].as_u64()), (Some("erase-text"), Some(2)));
    assert!(log[0]["by"].as_str().unwrap_or("").starts_with("liaison CLI"), "{log}");
    assert!(!log.to_string().contains("José"), "never the text: {log}");

    assert_eq!(
        run(&["privacy", "erase", "--author", "7"]),
        "2 entries now attributed to \"former member\"\n"
    );
    assert_eq!(run(&["privacy", "erase", "--author", "8", "--delete"]), "deleted 1 entry\n");

    for bad in [
        &["privacy", "erase", "--text", "..."][..],
        &["privacy", "erase", "--text", "x", "--author", "7"],
        &["privacy", "erase"],
        &["privacy", "erase", "--text", "x", "--delete"],
        &["privacy", "find", "x", "--format", "xml"],
    ] {
        install.cmd().args(bad).assert().code(2);
    }
}

#[test]
fn add_private_keeps_the_entry_private_and_says_so() {
    let install = Install::new();
    let saved = install.add(&["-d", "Law", "-n", "A student's appeal, between us", "--private"]);
    assert!(
        saved.starts_with(
            "Saved entry #1 · Law · Enquiry desk · private: only its author and admins see its text"
        ),
        "{saved}"
    );
    let team = install.add(&["-d", "Law", "-n", "Westlaw outage"]);
    assert!(!team.contains("private"), "{team}");
    let share = |id: &str| {
        let out = install.cmd().args(["show", id, "--json"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["share"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!((share("1").as_str(), share("2").as_str()), ("private", "team"));
    // The command line sees everything, as an admin does.
    install.cmd().args(["search", "appeal"]).assert().success().stdout(predicate::str::contains("#1"));
}

#[test]
fn partners_are_added_shown_listed_edited_and_merged() {
    let install = Install::new();
    let added = install.run(&[
        "partner",
        "add",
        "--name",
        "Dr A. Field",
        "--kind",
        "person",
        "--department",
        "hist",
        "--department",
        "Physics",
        "--owner",
        "11",
        "--owner",
        "12",
        "--notes",
        "They want EEBO training; we offer a session",
        "--link",
        "https://example.org/field",
    ]);
    assert_eq!(added, "Added partner \"Dr A. Field\" (person) · owner 11, co-owner 12\n");
    install.run(&["partner", "add", "--name", "Jisc", "--kind", "organization"]);

    // The same name, however typed, is taken; a close one is offered back unless --anyway.
    let taken = install.refused(&["partner", "add", "--name", "dr a field", "--kind", "person"]);
    assert!(taken.contains("Dr A. Field"), "{taken}");
    let close = install.refused(&["partner", "add", "--name", "Dr A. Fields", "--kind", "person"]);
    assert!(close.contains("\"Dr A. Field\"") && close.contains("--anyway"), "{close}");
    let bad_kind = install.refused(&["partner", "add", "--name", "X", "--kind", "wizard"]);
    assert!(
        bad_kind.contains("\"wizard\" is not a kind; use person, organisation, team or group"),
        "{bad_kind}"
    );
    let bad_owner = install.refused(&["partner", "add", "--name", "X", "--kind", "team", "--owner", "ann"]);
    assert!(bad_owner.contains("\"ann\" is not a Discord user id"), "{bad_owner}");
    install.run(&[
        "partner",
        "add",
        "--name",
        "Dr A. Fields",
        "--kind",
        "person",
        "--anyway",
        "--owner",
        "13",
    ]);

    // Entries name partners (autocompleted names resolve as typed) and other departments.
    let saved = install.add(&[
        "-d",
        "History",
        "-n",
        "coffee about EEBO",
        "-c",
        "coffee",
        "--partner",
        "dr a field",
        "--partner",
        "JISC",
        "--also-department",
        "Physics",
        "--follow-up",
        "in 3 days",
    ]);
    assert!(saved.contains("also Physics") && saved.contains("partners: Dr A. Field, Jisc"), "{saved}");
    install.add(&["-d", "Music", "-n", "email from the Fields lab", "--partner", "Dr A. Fields"]);
    let unknown = install.refused(&["add", "-d", "History", "-n", "x", "--partner", "Dr Feld"]);
    assert!(unknown.contains("Dr Feld"), "{unknown}");
    assert_eq!(install.entry_count(), 2, "nothing written for an unknown partner");
    let shown = install.run(&["show", "1"]);
    assert!(
        shown.contains("partners    Dr A. Field, Jisc") && shown.contains("also        Physics"),
        "{shown}"
    );
    // The name resolves here; which entries the filter keeps is the search store's to test.
    let found = install.run(&["search", "--partner", "dr a. field"]);
    assert!(found.contains("#1 "), "{found}");
    let unknown = install.refused(&["search", "--partner", "Dr Feld"]);
    assert!(unknown.contains("no partner called \"Dr Feld\""), "{unknown}");

    // The timeline.
    let timeline = install.run(&["partner", "show", "DR A FIELD"]);
    for part in [
        "Dr A. Field (person, active)",
        "departments   History, Physics",
        "looked after  owner 11, co-owner 12",
        "link          https://example.org/field",
        "through Coffee (entry #1)",
        "They want EEBO training; we offer a session",
        "Entries: 1 (page 1 of 1), newest first",
        "coffee about EEBO",
        "Open follow-ups",
        "Entries per month",
    ] {
        assert!(timeline.contains(part), "{part:?} missing from:\n{timeline}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&install.run(&["partner", "show", "Dr A. Field", "--json"])).unwrap();
    assert_eq!(json["partner"]["name"], "Dr A. Field");
    assert_eq!(json["partner"]["owners"], serde_json::json!(["11", "12"]));
    assert_eq!((json["total"].as_u64(), json["page"].as_u64()), (Some(1), Some(1)));
    assert_eq!(json["entries"][0]["partners"], "Dr A. Field\nJisc");
    assert_eq!(json["last_contact"]["channel_name"], "Coffee");
    assert_eq!(json["months"].as_array().map(Vec::len), Some(12));
    assert_eq!(json["follow_ups"].as_array().map(Vec::len), Some(1));
    assert!(install.run(&["partner", "show", "Jisc", "--page", "2"]).contains("past the last page"));
    install.refused(&["partner", "show", "Jisc", "--page", "0"]);
    let nobody = install.refused(&["partner", "show", "Dr Feld"]);
    assert!(nobody.contains("Dr Feld"), "{nobody}");

    // Listing, with each filter.
    let names = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["partner", "list", "--json"];
        all.extend_from_slice(args);
        let json: serde_json::Value = serde_json::from_str(&install.run(&all)).unwrap();
        json["partners"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(names(&[]), vec!["Dr A. Field", "Dr A. Fields", "Jisc"]);
    assert_eq!(names(&["--kind", "person"]), vec!["Dr A. Field", "Dr A. Fields"]);
    assert_eq!(names(&["--owner", "12"]), vec!["Dr A. Field"]);
    assert_eq!(names(&["--department", "physics"]), vec!["Dr A. Field"]);
    assert_eq!(names(&["--status", "dormant"]), Vec::<String>::new());
    assert_eq!(names(&["--quiet-weeks", "1"]), Vec::<String>::new(), "all heard from, or new");
    let table = install.run(&["partner", "list"]);
    assert!(table.starts_with("3 partners (page 1 of 1)\n") && table.contains("Jisc"), "{table}");
    install.refused(&["partner", "list", "--status", "asleep"]);

    // Editing: flags left out keep their value.
    let edited = install.run(&[
        "partner",
        "edit",
        "jisc",
        "--status",
        "dormant",
        "--notes",
        "They want APCs",
        "--owner",
        "14",
    ]);
    assert_eq!(edited, "Saved partner \"Jisc\" (organisation, dormant) · owner 14\n");
    assert_eq!(names(&["--status", "dormant"]), vec!["Jisc"]);
    let jisc: serde_json::Value = serde_json::from_str(&install.run(&[
        "partner",
        "edit",
        "Jisc",
        "--name",
        "Jisc Collections",
        "--json",
    ]))
    .unwrap();
    assert_eq!(
        (jisc["name"].as_str(), jisc["status"].as_str(), jisc["notes"].as_str(), jisc["kind"].as_str()),
        (Some("Jisc Collections"), Some("dormant"), Some("They want APCs"), Some("organisation"))
    );
    let cleared: serde_json::Value =
        serde_json::from_str(&install.run(&["partner", "edit", "Jisc Collections", "--owner", "", "--json"]))
            .unwrap();
    assert_eq!(cleared["owners"], serde_json::json!([]));
    install.refused(&["partner", "edit", "Jisc Collections", "--name", "Dr A. Field"]);
    install.refused(&["partner", "edit", "Jisc Collections", "--kind", "wizard"]);

    // Merging needs --yes; then the duplicate's entries are the kept partner's.
    let ask = install.refused(&["partner", "merge", "Dr A. Fields", "Dr A. Field"]);
    assert!(ask.contains("--yes"), "{ask}");
    install.refused(&["partner", "merge", "Dr A. Field", "dr a field", "--yes"]);
    assert_eq!(
        install.run(&["partner", "merge", "Dr A. Fields", "Dr A. Field", "--yes"]),
        "Merged \"Dr A. Fields\" into \"Dr A. Field\".\n"
    );
    install.refused(&["partner", "show", "Dr A. Fields"]);
    let merged: serde_json::Value =
        serde_json::from_str(&install.run(&["partner", "show", "Dr A. Field", "--json"])).unwrap();
    assert_eq!(merged["total"].as_u64(), Some(2));
    assert_eq!(merged["partner"]["owners"], serde_json::json!(["11", "12", "13"]));
}

#[test]
fn partners_and_linked_entries_export_and_import_byte_for_byte() {
    let install = Install::new();
    for args in [
        &["--name", "=Formula Lab", "--kind", "group", "--department", "Chemistry"][..],
        &[
            "--name",
            "Dr José; Müller",
            "--kind",
            "person",
            "--owner",
            "18446744073709551615",
            "--owner",
            "7",
            "--notes",
            "-1 for print,\n+ wants \"open\" data; @home",
            "--link",
            "https://example.org/a,b",
        ],
        &["--name", "Jisc", "--kind", "organisation", "--department", "Law", "--department", "Music"],
    ] {
        let mut all = vec!["partner", "add", "--anyway"];
        all.extend_from_slice(args);
        install.run(&all);
    }
    install.run(&["partner", "edit", "Jisc", "--status", "dormant"]);
    install.add(&[
        "-d",
        "History",
        "-n",
        "one",
        "--partner",
        "Dr José; Müller",
        "--partner",
        "=formula lab",
        "--also-department",
        "Law",
        "--also-department",
        "Music",
    ]);
    install.add(&["-d", "Law", "-n", "two", "--partner", "Jisc"]);
    install.add(&["-d", "Music", "-n", "three"]);

    let partners = install.partner_export(&install.db_path());
    assert_eq!(partners.lines().next(), Some("name,kind,departments,owners,status,link,notes"));
    assert!(partners.contains("'=Formula Lab,group,Chemistry,,active,,"), "neutralised: {partners}");
    assert!(partners.contains("\"Dr José; Müller\",person,,\"18446744073709551615;7\",active,\"https://example.org/a,b\",\"'-1 for print,\n'+ wants \"\"open\"\" data; @home\""), "{partners}");
    assert!(partners.contains("Jisc,organisation,\"Law;Music\",,dormant,,"), "{partners}");
    let entries = install.export(&install.db_path());
    assert!(entries.lines().next().unwrap().ends_with(",share,expired_at,also_departments,partners"));
    assert!(entries.contains(",\"Law;Music\",\"Dr José; Müller\n'=Formula Lab\"\n"), "{entries}");

    let partners_file = install.path("partners.csv");
    install.cmd().args(["partner", "export", "--output"]).arg(&partners_file).assert().success();
    assert_eq!(std::fs::read_to_string(&partners_file).unwrap(), partners);
    let entries_file = install.path("entries.csv");
    std::fs::write(&entries_file, &entries).unwrap();

    // Into an empty database: entries naming partners it lacks are refused, pointing at the fix.
    let other = install.path("other.db");
    install.cmd_with_db(&other).arg("import").arg(&entries_file).assert().code(2).stderr(
        predicate::str::contains("line 2: partners: no partner called \"Dr José; Müller\"")
            .and(predicate::str::contains("liaison partner import")),
    );
    install
        .cmd_with_db(&other)
        .args(["partner", "import", "--dry-run"])
        .arg(&partners_file)
        .assert()
        .success()
        .stdout(predicate::str::contains("would import 3 partners and skip 0"));
    assert_eq!(install.partner_export(&other).lines().count(), 1, "a dry run writes nothing");
    install
        .cmd_with_db(&other)
        .args(["partner", "import"])
        .arg(&partners_file)
        .assert()
        .success()
        .stdout(predicate::str::contains("imported 3 partners"));
    install.cmd_with_db(&other).arg("import").arg(&entries_file).assert().success();
    assert_eq!(
        install.partner_export(&other),
        partners,
        "partner export → import → export changed something"
    );
    assert_eq!(install.export(&other), entries, "entry export → import → export changed something");

    // Again: every partner is there already, and left as it is.
    install.cmd_with_db(&other).args(["partner", "import"]).arg(&partners_file).assert().success().stdout(
        predicate::str::contains("imported 0 partners")
            .and(predicate::str::contains("skipped 3 already in the server")),
    );
    assert_eq!(install.partner_export(&other), partners);
}

#[test]
fn a_partner_import_with_bad_rows_names_them_and_imports_nothing() {
    let install = Install::new();
    let path = install.path("bad.csv");
    std::fs::write(
        &path,
        "name,kind,departments,owners,status,link,notes\n\
         Good Lab,group,History,,active,,\n\
         Bad Kind,wizard,,,,,\n\
         Bad Owner,person,Alchemy,ann;12,,,\n\
         good lab,team,,,asleep,,\n\
         ,team,,,,,\n\
         Bad Link,team,,,,javascript:alert(1),\n",
    )
    .unwrap();
    let err = install.refused(&["partner", "import", path.to_str().unwrap()]);
    for part in [
        "nothing was imported: 5 rows need",
        "line 7: link: \"javascript:alert(1)\" is not a web address",
        "line 3: kind: \"wizard\" is not person, organisation, team or group",
        "line 4: departments:",
        "owners: \"ann\" is not a Discord user id",
        "line 5: status: \"asleep\" is not active or dormant",
        "line 6: name:",
    ] {
        assert!(err.contains(part), "{part:?} missing from:\n{err}");
    }
    assert_eq!(install.partner_export(&install.db_path()).lines().count(), 1, "nothing imported");
    let twice = install.path("twice.csv");
    std::fs::write(
        &twice,
        "name,kind,departments,owners,status,link,notes\nGood Lab,group,,,,,\nGOOD LAB,team,,,,,\n",
    )
    .unwrap();
    let err = install.refused(&["partner", "import", twice.to_str().unwrap()]);
    assert!(err.contains("line 3: name: \"GOOD LAB\" is the partner of line 2 again"), "{err}");
    let no_header = install.path("header.csv");
    std::fs::write(&no_header, "name,kind\nX,team\n").unwrap();
    let err = install.refused(&["partner", "import", no_header.to_str().unwrap()]);
    assert!(err.contains("lacks the column departments"), "{err}");
    install.refused(&["partner", "import", "missing.csv"]);
    let none = install.refused(&["partner", "show", "Anyone"]);
    assert!(none.contains("no partner called \"Anyone\"; add one with `liaison partner add"), "{none}");
}

#[test]
fn privacy_erasure_reaches_partner_names_and_notes_and_erases_a_person_partner() {
    let install = Install::new();
    install.run(&["partner", "add", "--name", "Jo Bloggs", "--kind", "person", "--notes", "met at the fair"]);
    install.run(&[
        "partner",
        "add",
        "--name",
        "Bloggs Ltd",
        "--kind",
        "organisation",
        "--notes",
        "Jo Bloggs is their contact",
    ]);
    install.add(&["-d", "Law", "-n", "coffee", "--partner", "Jo Bloggs", "--partner", "Bloggs Ltd"]);

    let found = install.run(&["privacy", "find", "Jo Bloggs"]);
    assert!(found.contains("2 partners mentioning it") && found.contains("Bloggs Ltd"), "{found}");
    let refused = install.refused(&["privacy", "erase", "--partner", "Bloggs Ltd"]);
    assert!(refused.contains("only a person partner can be erased"), "{refused}");
    assert_eq!(
        install.run(&["privacy", "erase", "--partner", "jo bloggs", "--dry-run"]),
        "would delete partner \"Jo Bloggs\" and its links to 1 entry (they stay)\n"
    );
    assert_eq!(
        install.run(&["privacy", "erase", "--partner", "Jo Bloggs"]),
        "deleted partner \"Jo Bloggs\" and its links to 1 entry (they stay)\n"
    );
    install.refused(&["partner", "show", "Jo Bloggs"]);
    assert_eq!(install.entry_count(), 1, "the entry stays");
    assert!(install.run(&["show", "1"]).contains("partners    Bloggs Ltd\n"));

    assert_eq!(
        install.run(&["privacy", "erase", "--text", "Jo Bloggs"]),
        "erased \"Jo Bloggs\" in 0 entries and 1 partner\n"
    );
    let jisc: serde_json::Value =
        serde_json::from_str(&install.run(&["partner", "show", "Bloggs Ltd", "--json"])).unwrap();
    assert_eq!(jisc["partner"]["notes"], "[erased] is their contact");
    let log = install.run(&["privacy", "log", "--json"]);
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
    assert_eq!((log[1]["action"].as_str(), log[1]["entries"].as_u64()), (Some("erase-partner"), Some(1)));
    assert_eq!(log[0]["action"], "erase-text");
    assert!(!log.to_string().contains("Bloggs"), "never the name: {log}");
    install.refused(&["privacy", "erase", "--partner", "x", "--text", "y"]);
}

#[test]
fn impact_add_marks_an_entry_against_one_of_the_servers_objectives() {
    let install = Install::new();
    install.add(&["-d", "History", "-n", "Three PhD students asked for EEBO training"]);
    let none = install.refused(&["impact", "add", "1", "--outcome", "x", "--objective", "Digital skills"]);
    assert!(none.contains("this server has no objectives yet"), "{none}");
    let added = install.run(&["impact", "objectives", "add", "Digital skills (JISC framework)"]);
    assert_eq!(added.trim(), "Added the objective \"Digital skills (JISC framework)\".");
    install.run(&["impact", "objectives", "add", "Research support"]);
    let listed = install.run(&["impact", "objectives", "list"]);
    assert_eq!(listed, "Digital skills (JISC framework)\nResearch support\n");

    let unknown = install.refused(&["impact", "add", "1", "--outcome", "x", "--objective", "Wellbeing"]);
    assert!(unknown.contains("Digital skills (JISC framework); Research support"), "the list: {unknown}");
    let link = install.refused(&[
        "impact",
        "add",
        "1",
        "--outcome",
        "x",
        "--evidence",
        "ftp://x.example",
        "--objective",
        "research",
    ]);
    assert!(link.contains("https:// or http://"), "{link}");
    let missing = install.refused(&["impact", "add", "9", "--outcome", "x", "--objective", "research"]);
    assert!(missing.contains("no entry #9"), "{missing}");

    let marked = install.run(&[
        "impact",
        "add",
        "1",
        "--outcome",
        "Forty students trained; tutor jo@uni.ac.uk books us now",
        "--evidence",
        "https://example.ac.uk/eebo",
        "--objective",
        "digital skils",
    ]);
    assert_eq!(marked.trim(), "Entry #1 is marked as an impact story (Digital skills (JISC framework)).");
    let shown = install.run(&["show", "1"]);
    assert!(
        shown.contains("Impact story (Digital skills (JISC framework)): Forty students trained; tutor [email] books us now"),
        "redacted: {shown}"
    );
    assert!(shown.contains("Evidence: https://example.ac.uk/eebo"), "{shown}");

    let removed = install.run(&["impact", "objectives", "remove", "digital skills jisc framework"]);
    assert!(removed.starts_with("Removed the objective \"Digital skills (JISC framework)\""), "{removed}");
    assert_eq!(install.run(&["impact", "objectives", "list"]), "Research support\n");
    assert!(install.run(&["show", "1"]).contains("Impact story (Digital skills (JISC framework))"), "kept");
    assert_eq!(install.run(&["impact", "remove", "1"]).trim(), "Entry #1 is no longer an impact story.");
    assert!(!install.run(&["show", "1"]).contains("Impact story"));
    assert_eq!(install.run(&["impact", "remove", "1"]).trim(), "Entry #1 was not an impact story.");
}

/// The PNG's width and height, decoded as any image viewer would.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    let reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().unwrap();
    let info = reader.info();
    (info.width, info.height)
}

#[test]
fn report_writes_the_entries_charts_and_summary_and_keeps_private_text_out() {
    let install = Install::new();
    let today = chrono::Utc::now().date_naive();
    let day = |n: i64| (today - chrono::Duration::days(n)).to_string();
    install.add(&["-d", "History", "-n", "met the history chair", "-c", "coffee", "--when", &day(3)]);
    install.add(&["-d", "Law", "-n", "a desk question", "-c", "desk", "--when", &day(2)]);
    install.add(&["-d", "Law", "-n", "secret plans", "-c", "desk", "--when", &day(1), "--private"]);
    // Before the report's days: counted as the previous period only.
    install.add(&["-d", "Law", "-n", "long ago", "-c", "desk", "--when", &day(8)]);
    let out = install.path("report");
    install
        .cmd()
        .args(["report", "--since", &day(5), "--until", &day(0), "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("3 entries"));
    let csv = std::fs::read_to_string(out.join("entries.csv")).unwrap();
    let rows = cells(&csv);
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(csv.contains("met the history chair"), "{csv}");
    assert!(!csv.contains("secret plans"), "a private entry's text is not in a shared report:\n{csv}");
    for chart in ["entries-per-month.png", "departments.png", "channels.png"] {
        let (w, h) = png_size(&std::fs::read(out.join(chart)).unwrap());
        assert!(w > 0 && h > 0, "{chart}");
    }
    let summary = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(summary.contains("- Entries: 3"), "{summary}");
    assert!(summary.contains(": 1 (+200%)"), "the previous six days held one entry:\n{summary}");
    assert!(summary.contains("Informal share: 33%"), "{summary}");
    assert!(summary.contains("| Law | 2 |"), "{summary}");

    install
        .cmd()
        .args(["report", "--since", &day(5), "--format", "libinsight", "--out"])
        .arg(&out)
        .assert()
        .success();
    let li = std::fs::read_to_string(out.join("entries-libinsight.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(li.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header[..5], ["Date", "Time", "Department", "Contact Type", "Formality"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "{li}");
    assert!(rows.iter().any(|r| &r[4] == "Informal" && &r[6] == "met the history chair"), "{li}");

    install
        .cmd()
        .args(["report", "--since", &day(5), "--format", "pdf", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("csv, libinsight"));
}

/// `liaison edit ID ...`: each flag changes its field through the same service as `/entry edit`,
/// the note redacted again, the reply saying what changed; search follows.
#[test]
fn edit_changes_every_field_and_says_what_changed() {
    let install = Install::new();
    install.add(&["-d", "Law", "-n", "Westlaw outage", "--when", "2026-11-03", "--tags", "westlaw"]);
    let out = install.run(&[
        "edit",
        "1",
        "--department",
        "hist",
        "--department",
        "Physics",
        "--channel",
        "coffee",
        "--date",
        "2026-11-02",
        "--tags",
        "eebo, training",
        "--note",
        "Dr Jones (j.jones@example.ac.uk) wants EEBO",
        "--follow-up-owner",
        "<@42>",
        "--follow-up-due",
        "in 7 days",
    ]);
    assert!(
        out.starts_with(
            "Updated entry #1: department Law → History; channel Enquiry desk → Coffee; \
             date 2026-11-03 → 2026-11-02; follow-up none → user 42, due "
        ),
        "{out}"
    );
    assert!(
        out.ends_with("; note; tags; other departments and partners. 1 item of personal data is redacted.\n"),
        "{out}"
    );
    let shown = install.run(&["show", "1", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(json["department"], "History");
    assert_eq!(json["also_departments"], "Physics");
    assert_eq!((json["channel"].as_str(), json["informal"].as_str()), (Some("coffee"), Some("true")));
    assert!(json["occurred_at"].as_str().unwrap().starts_with("2026-11-02"), "{json}");
    assert_eq!(json["note"], "Dr Jones ([email]) wants EEBO");
    assert_eq!(json["tags"], "eebo training");
    assert_eq!(json["follow_up_owner"], "42");

    install
        .cmd()
        .args(["search", "--department", "Physics", "eebo"])
        .assert()
        .success()
        .stdout(predicate::str::contains("#1"));
    install
        .cmd()
        .args(["search", "westlaw"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No entries found."));

    let cleared = install.run(&["edit", "1", "--no-follow-up"]);
    assert!(
        cleared.starts_with("Updated entry #1: follow-up user 42, due ") && cleared.ends_with(" → none.\n")
    );
    let again = install.run(&["edit", "#1", "--channel", "Coffee"]);
    assert_eq!(again, "Nothing to change: entry #1 already says that.\n");
}

#[test]
fn edit_refuses_bad_input_as_add_does_and_writes_nothing() {
    let install = Install::new();
    install.add(&["-d", "Law", "-n", "Westlaw outage"]);
    let before = install.run(&["show", "1", "--json"]);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--department", "Histroy"], "no department called \"Histroy\""),
        (vec!["--channel", "pub"], "no channel called \"pub\""),
        (vec!["--date", "in 3 days"], "in the future"),
        (vec!["--follow-up-due", "yesterday"], "in the past"),
        (vec!["--follow-up-owner", "42"], "has no follow-up yet: give its due date too"),
        (vec!["--note", "   "], "the note is empty"),
        (vec![], "nothing to change"),
    ];
    for (args, message) in cases {
        let refused = install.refused(&[&["edit", "1"][..], &args].concat());
        assert!(refused.contains(message) && refused.starts_with("error:"), "{args:?}: {refused}");
    }
    for (args, message) in [
        (vec!["--follow-up-owner", "bob"], "not a Discord user id"),
        (vec!["--no-follow-up", "--follow-up-due", "friday"], "cannot be used with"),
    ] {
        let out = install.cmd().args([&["edit", "1"][..], &args].concat()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(message), "{args:?}");
    }
    install
        .cmd()
        .args(["edit", "9", "--channel", "coffee"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no entry #9"));
    assert_eq!(install.run(&["show", "1", "--json"]), before);
}

#[test]
fn departments_lists_whether_each_is_served_and_served_no_keeps_one_out_of_the_quiet_list() {
    let install = Install::new();
    let listed = |install: &Install| -> serde_json::Value {
        serde_json::from_str(&install.run(&["departments", "--json"])).unwrap()
    };
    let all = listed(&install);
    let all = all.as_array().unwrap();
    assert!(all.len() >= 28, "the shipped catalogue: {all:?}");
    assert!(all.iter().all(|d| d["served"] == true && d["chosen_here"] == false), "{all:?}");
    let table = install.run(&["departments"]);
    let line = |table: &str, name: &str| -> String {
        table.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("{name}: {table}")).to_string()
    };
    assert!(line(&table, "Archaeology ").ends_with("  served"), "{table}");

    assert_eq!(
        install.run(&["departments", "served", "archaeol", "--no"]),
        "Archaeology is now not served.\n"
    );
    assert_eq!(
        install.run(&["departments", "served", "Archaeology", "--no"]),
        "Archaeology was already not served.\n"
    );
    let table = install.run(&["departments"]);
    assert!(line(&table, "Archaeology ").ends_with("  not served (this server)"), "{table}");
    assert!(line(&table, "Architecture ").ends_with("  served"), "{table}");
    assert!(install
        .refused(&["departments", "served", "archeaology", "--no"])
        .contains("no department called"));
    assert!(install.refused(&["departments", "served", "Archaeology"]).contains("--yes"), "one of the two");
    assert!(install
        .refused(&["departments", "served", "Archaeology", "--yes", "--no"])
        .contains("cannot be used"));

    // Heard from History ten weeks before: every other served department has been quiet since.
    install.add(&["-d", "History", "-n", "EEBO training", "--when", "2026-09-10"]);
    let digest: serde_json::Value =
        serde_json::from_str(&install.run(&["digest", "--week", "2026-W47", "--format", "json"])).unwrap();
    let quiet = &digest["quiet"];
    let names: Vec<&str> =
        quiet["departments"].as_array().unwrap().iter().map(|d| d["department"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 8, "{quiet}");
    assert_eq!(names.len() as u64 + quiet["more"].as_u64().unwrap(), all.len() as u64 - 1, "{quiet}");
    // History's entry was the server's first: it and those never heard from are quiet since the
    // same day, so by name.
    let mut by_name = names.clone();
    by_name.sort();
    assert_eq!(names, by_name, "{quiet}");
    assert!(!names.contains(&"Archaeology"), "{quiet}");

    assert_eq!(
        install.run(&["departments", "served", "Archaeology", "--yes"]),
        "Archaeology is now served.\n"
    );
    let table = install.run(&["departments"]);
    assert!(line(&table, "Archaeology ").ends_with("  served"), "the config's again: {table}");
}

#[test]
fn a_department_the_config_does_not_serve_is_said_so_by_check_config_and_departments() {
    let install = Install::new();
    let shipped = std::fs::read_to_string(shipped_config()).unwrap();
    let marked = shipped.replacen("name = \"Archaeology\"\n", "name = \"Archaeology\"\nserved = false\n", 1);
    assert_ne!(marked, shipped);
    let config = install.path("liaison.toml");
    std::fs::write(&config, marked).unwrap();
    let run = |args: &[&str]| {
        let out = install.cmd_with(&config, &install.db_path()).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let checked = run(&["check-config"]);
    assert!(checked.contains("\n  Archaeology (aliases: archaeol, archeology) · not served\n"), "{checked}");
    assert!(checked.contains("\n  Architecture (aliases: arch, school of architecture)\n"), "{checked}");
    let table = run(&["departments"]);
    let archaeology = table.lines().find(|l| l.starts_with("Archaeology ")).unwrap();
    assert!(archaeology.ends_with("  not served (config)"), "{table}");
    // The server says otherwise.
    assert_eq!(run(&["departments", "served", "Archaeology", "--yes"]), "Archaeology is now served.\n");
    let table = run(&["departments"]);
    let archaeology = table.lines().find(|l| l.starts_with("Archaeology ")).unwrap();
    assert!(archaeology.ends_with("  served (this server)"), "{table}");
}

#[test]
fn search_similar_lists_colleagues_entries_like_one_with_why() {
    let install = Install::new();
    let add = |department: &str, note: &str, id: &str, name: &str| {
        install.add(&["--department", department, "--note", note, "--author-id", id, "--author-name", name]);
    };
    add("History", "Three PhD students want EEBO training before archive work", "1", "Alice");
    add("English", "Postgrads asked for EEBO training on pamphlets", "2", "Bob");
    add("Law", "Westlaw password reset for the LLM cohort", "2", "Bob");
    let out = install.run(&["search", "--similar", "1"]);
    assert!(out.starts_with("Most like #1 (Three PhD students want EEBO training"), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "a heading, the columns and one entry: {out}");
    assert!(
        lines[2].starts_with("#2 ") && lines[2].contains("EEBO, training") && lines[2].contains("Bob"),
        "{out}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&install.run(&["search", "--similar", "2", "--json"])).unwrap();
    assert_eq!(json[0]["id"], "1", "{json}");
    assert_eq!(json[0]["shared"], serde_json::json!(["EEBO", "training"]), "{json}");
    let none = install.run(&["search", "--similar", "3"]);
    assert_eq!(none, "No colleague's entry from the six months before #3 is close enough.\n");

    let refused = install.refused(&["search", "--similar", "1", "--department", "History"]);
    assert!(refused.contains("cannot be used with"), "{refused}");
    let missing = install.cmd().args(["search", "--similar", "99"]).output().unwrap();
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("no entry #99"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}

/// `liaison check-config | head -1`, and an export into a pager that quits: the reader has gone
/// before the command writes, and the command ends as `cat` would, by SIGPIPE, saying nothing.
/// Before, `println!` panicked ("failed printing to stdout") and an export said "Broken pipe".
#[cfg(unix)]
#[test]
fn a_command_whose_reader_has_gone_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let install = Install::new();
    install.add(&["-d", "History", "-n", "EEBO training for PhD students"]);
    for args in [&["check-config"][..], &["export", "--format", "csv"], &["search", "EEBO"]] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
            .current_dir(install.dir.path())
            .env_remove("DATABASE_URL")
            .env_remove("LIAISON_CONFIG")
            .env("NO_COLOR", "1")
            .arg("--config")
            .arg(shipped_config())
            .arg("--database")
            .arg(format!("sqlite://{}", install.db_path().display()))
            .args(args)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{args:?}: {:?}, {stderr}", out.status);
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

/// `impact export` then `impact import` into another database that has the entries: the
/// objectives (in their order, one no story uses) and every story (who marked it and when, its
/// evidence, an objective since taken off the list) arrive as they were; exporting again gives the
/// same bytes, and a second import skips them all.
#[test]
fn impact_stories_and_objectives_move_with_export_and_import() {
    let install = Install::new();
    install.add(&["-d", "History", "-n", "EEBO training for PhD students"]);
    install.add(&["-d", "Law", "-n", "Westlaw outage"]);
    install.add(&["-d", "Music", "-n", "scores for the orchestra"]);
    for name in ["Digital skills (JISC framework)", "=Research support", "Student success"] {
        install.run(&["impact", "objectives", "add", name]);
    }
    install.run(&[
        "impact",
        "add",
        "1",
        "--outcome",
        "Forty students trained, mail jo@uni.ac.uk",
        "--evidence",
        "https://example.ac.uk/eebo,report",
        "--objective",
        "digital skills",
    ]);
    install.run(&[
        "impact",
        "add",
        "3",
        "--outcome",
        "-1 complaint, \"scores\" bought",
        "--objective",
        "research",
    ]);
    install.run(&["impact", "objectives", "remove", "=Research support"]);

    let exported = install.run(&["impact", "export"]);
    let lines: Vec<&str> = exported.lines().collect();
    assert_eq!(lines[0], "objective,entry,outcome,evidence,marked_by,marked_at");
    assert_eq!(lines[1..3], ["Digital skills (JISC framework),,,,,", "Student success,,,,,"]);
    assert!(
        lines[3].starts_with(
            "Digital skills (JISC framework),1,\"Forty students trained, mail [email]\",\"https://example.ac.uk/eebo,report\",0,"
        ),
        "{exported}"
    );
    assert!(
        lines[4].starts_with("'=Research support,3,\"'-1 complaint, \"\"scores\"\" bought\",,0,"),
        "{exported}"
    );
    let impact_file = install.path("impact.csv");
    install.cmd().args(["impact", "export", "--output"]).arg(&impact_file).assert().success();
    assert_eq!(std::fs::read_to_string(&impact_file).unwrap(), exported);

    // Into a database without the entries: refused, naming them, and nothing is written.
    let other = install.path("other.db");
    install.cmd_with_db(&other).args(["impact", "import"]).arg(&impact_file).assert().code(2).stderr(
        predicate::str::contains(
            "line 4: entry: there is no entry #1 in this server; import the entries first",
        )
        .and(predicate::str::contains("line 5: entry: there is no entry #3")),
    );
    let entries_file = install.path("entries.csv");
    std::fs::write(&entries_file, install.export(&install.db_path())).unwrap();
    install.cmd_with_db(&other).arg("import").arg(&entries_file).assert().success();
    let objectives = |db: &Path| {
        let out = install.cmd_with_db(db).args(["impact", "objectives", "list"]).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(objectives(&other).starts_with("No objectives yet"), "the refused import wrote nothing");

    install
        .cmd_with_db(&other)
        .args(["impact", "import", "--dry-run"])
        .arg(&impact_file)
        .assert()
        .success()
        .stdout(predicate::str::contains("would add 2 objectives and import up to 2 impact stories"));
    install
        .cmd_with_db(&other)
        .args(["impact", "import"])
        .arg(&impact_file)
        .assert()
        .success()
        .stdout(predicate::str::contains("imported 2 objectives and 2 impact stories"));
    let again = install.cmd_with_db(&other).args(["impact", "export"]).output().unwrap();
    assert_eq!(
        String::from_utf8(again.stdout).unwrap(),
        exported,
        "export → import → export changed something"
    );
    assert_eq!(objectives(&other), objectives(&install.db_path()));

    install.cmd_with_db(&other).args(["impact", "import"]).arg(&impact_file).assert().success().stdout(
        predicate::str::contains("imported 0 objectives and 0 impact stories")
            .and(predicate::str::contains("skipped 2 already there")),
    );
}

#[test]
fn an_impact_import_with_bad_rows_names_them_and_imports_nothing() {
    let install = Install::new();
    install.add(&["-d", "History", "-n", "EEBO training"]);
    let path = install.path("bad.csv");
    std::fs::write(
        &path,
        "objective,entry,outcome,evidence,marked_by,marked_at\n\
         Digital skills,,,,,\n\
         Digital skills,1,Trained forty,ftp://example.org,ann,yesterday\n\
         ,1,,,,\n\
         Outreach,,Trained,,,\n",
    )
    .unwrap();
    let err = install.refused(&["impact", "import", path.to_str().unwrap()]);
    assert!(err.contains("nothing was imported: 3 rows need fixing first"), "{err}");
    assert!(err.contains("line 3: evidence: "), "{err}");
    assert!(err.contains("marked_by: \"ann\" is not a Discord user id"), "{err}");
    assert!(err.contains("marked_at: \"yesterday\" is not an RFC 3339 time"), "{err}");
    assert!(err.contains("line 4: objective: an objective needs a name"), "{err}");
    assert!(
        err.contains(
            "line 5: entry: empty, so the row is an objective of the list, yet its outcome is filled in"
        ),
        "{err}"
    );
    assert!(install.run(&["impact", "objectives", "list"]).starts_with("No objectives yet"));
}

/// `liaison event export` of `db`: the CSV.
fn event_export(install: &Install, db: &Path) -> String {
    let out = install.cmd_with_db(db).args(["event", "export"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// One event as `/event add` adds it (the command line has none), with its partners by name and
/// the entries heard at it.
struct EventSpec {
    name: &'static str,
    date: &'static str,
    end: Option<&'static str>,
    place: Option<&'static str>,
    organisers: Vec<u64>,
    partners: Vec<&'static str>,
    departments: Vec<&'static str>,
    entries: Vec<i64>,
    /// Organisers who answered the post-event prompt with Nothing needed.
    nothing_needed: Vec<u64>,
}

/// Adds the events to the install's database through the service, as the bot would.
fn add_events(install: &Install, specs: Vec<EventSpec>) {
    use liaison::domain::ids::{EntryId, GuildId, UserId};
    use liaison::service::events::{self, EventInput};
    use liaison::store::EventPromptKey;
    let url = format!("sqlite://{}", install.db_path().display());
    let path = shipped_config();
    let config =
        liaison::config::Config::parse(&path, &std::fs::read_to_string(&path).unwrap(), None, None).unwrap();
    let guild = config.default_guild.unwrap_or(GuildId(0));
    let rules = &config.rules;
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        let store = liaison::store::connect(&url).await.unwrap();
        let named = store.partner_names(guild).await.unwrap();
        for spec in specs {
            let input = EventInput {
                name: spec.name.into(),
                date: spec.date.into(),
                end: spec.end.map(Into::into),
                partners: spec
                    .partners
                    .iter()
                    .map(|p| named.iter().find(|n| n.name.as_str() == *p).unwrap().clone())
                    .collect(),
                departments: spec
                    .departments
                    .iter()
                    .map(|d| rules.departments.resolve(d).unwrap().clone())
                    .collect(),
                organisers: spec.organisers.into_iter().map(UserId).collect(),
                place: spec.place.map(Into::into),
            };
            let event = events::add(store.as_ref(), rules, guild, UserId(7), input, chrono::Utc::now())
                .await
                .unwrap();
            for entry in spec.entries {
                events::link(store.as_ref(), guild, EntryId(entry), event.id).await.unwrap();
            }
            for organiser in spec.nothing_needed {
                let key = EventPromptKey { guild, event: event.id, organiser: UserId(organiser) };
                assert!(store.offer_event_prompt(&key, chrono::Utc::now()).await.unwrap());
                assert!(store.nothing_needed(&key, chrono::Utc::now()).await.unwrap());
            }
        }
        store.close().await;
    });
}

#[test]
fn events_and_the_entries_heard_at_them_move_after_partners_and_entries_byte_for_byte() {
    let install = Install::new();
    install.run(&["partner", "add", "--anyway", "--name", "Dr José; Müller", "--kind", "person"]);
    install.run(&["partner", "add", "--anyway", "--name", "=Formula Lab", "--kind", "group"]);
    install.run(&["partner", "add", "--anyway", "--name", "Jisc", "--kind", "organisation"]);
    install.add(&["-d", "History", "-n", "heard at the showcase"]);
    install.add(&["-d", "Law", "-n", "heard at the fair", "--partner", "Jisc"]);
    install.add(&["-d", "History", "-n", "also at the showcase"]);
    install.add(&["-d", "Music", "-n", "at no event"]);
    add_events(
        &install,
        vec![
            EventSpec {
                name: "=Research showcase; 2026",
                date: "2026-11-03",
                end: Some("2026-11-05"),
                place: Some("Main Library; room 2"),
                organisers: vec![u64::MAX, 7],
                partners: vec!["Dr José; Müller", "=Formula Lab"],
                departments: vec!["History", "Law"],
                entries: vec![3, 1],
                nothing_needed: vec![7],
            },
            EventSpec {
                name: "Stand at the fair",
                date: "2026-12-01",
                end: None,
                place: None,
                organisers: Vec::new(),
                partners: vec!["Jisc"],
                departments: Vec::new(),
                entries: vec![2],
                nothing_needed: Vec::new(),
            },
            EventSpec {
                name: "Induction week",
                date: "2026-09-21",
                end: Some("2026-09-25"),
                place: None,
                organisers: vec![12, 34],
                partners: Vec::new(),
                departments: vec!["Music"],
                entries: Vec::new(),
                nothing_needed: vec![34, 12],
            },
        ],
    );
    let events = event_export(&install, &install.db_path());
    assert_eq!(
        events.lines().next(),
        Some("name,starts_on,ends_on,place,organisers,partners,departments,entries,created_by,created_at,nothing_needed")
    );
    let rows = cells(&events);
    assert_eq!(rows.len(), 3, "{events}");
    assert_eq!(
        rows[0][..9],
        [
            "'=Research showcase; 2026",
            "2026-11-03",
            "2026-11-05",
            "Main Library; room 2",
            "18446744073709551615;7",
            "Dr José; Müller\n'=Formula Lab",
            "History;Law",
            "1;3",
            "7",
        ]
    );
    assert!(chrono::DateTime::parse_from_rfc3339(&rows[0][9]).is_ok(), "{}", rows[0][9]);
    assert_eq!(rows[0][10], "7", "who answered Nothing needed");
    assert_eq!(rows[1][..8], ["Stand at the fair", "2026-12-01", "2026-12-01", "", "7", "Jisc", "", "2"]);
    assert_eq!(rows[2][4..8], ["12;34", "", "Music", ""]);
    assert_eq!((rows[1][10].as_str(), rows[2][10].as_str()), ("", "12;34"));

    let events_file = install.path("events.csv");
    install.cmd().args(["event", "export", "--output"]).arg(&events_file).assert().success();
    assert_eq!(std::fs::read_to_string(&events_file).unwrap(), events);
    let partners_file = install.path("partners.csv");
    install.cmd().args(["partner", "export", "--output"]).arg(&partners_file).assert().success();
    let entries_file = install.path("entries.csv");
    install.cmd().args(["export", "--output"]).arg(&entries_file).assert().success();

    // Into an empty database: what is missing is named, with what to import first.
    let other = install.path("other.db");
    install.cmd_with_db(&other).args(["event", "import"]).arg(&events_file).assert().code(2).stderr(
        predicate::str::contains("nothing was imported: 2 rows need fixing first")
            .and(predicate::str::contains(
                "line 2: partners: no partner called \"Dr José; Müller\" in this server; import partners first",
            ))
            .and(predicate::str::contains("entries: no entry 1 in this server; import the entries first"))
            .and(predicate::str::contains("line 4: partners: no partner called \"Jisc\"")),
    );
    install.cmd_with_db(&other).args(["partner", "import"]).arg(&partners_file).assert().success();
    install.cmd_with_db(&other).args(["event", "import"]).arg(&events_file).assert().code(2).stderr(
        predicate::str::contains("line 2: entries: no entry 1 in this server; import the entries first")
            .and(predicate::str::contains("line 4: entries: no entry 2")),
    );
    install.cmd_with_db(&other).arg("import").arg(&entries_file).assert().success();
    install
        .cmd_with_db(&other)
        .args(["event", "import", "--dry-run"])
        .arg(&events_file)
        .assert()
        .success()
        .stdout(predicate::str::contains("would import 3 events (with 3 entries heard there) and skip 0"));
    assert_eq!(event_export(&install, &other).lines().count(), 1, "a dry run writes nothing");
    install
        .cmd_with_db(&other)
        .args(["event", "import"])
        .arg(&events_file)
        .assert()
        .success()
        .stdout(predicate::str::contains("imported 3 events"));
    assert_eq!(event_export(&install, &other), events, "event export → import → export changed something");

    // Again: every event is there already, and is left as it is.
    install.cmd_with_db(&other).args(["event", "import"]).arg(&events_file).assert().success().stdout(
        predicate::str::contains("imported 0 events")
            .and(predicate::str::contains("skipped 3 already in the server")),
    );
    assert_eq!(event_export(&install, &other), events);
}

#[test]
fn an_event_import_with_bad_rows_names_them_and_imports_nothing() {
    let install = Install::new();
    install.add(&["-d", "History", "-n", "one entry"]);
    let path = install.path("bad.csv");
    let at = "2026-11-01T09:00:00Z";
    std::fs::write(
        &path,
        format!(
            "name,starts_on,ends_on,place,organisers,partners,departments,entries,created_by,created_at,nothing_needed\n\
             Good,2026-11-03,2026-11-03,,7,,History,1,7,{at},\n\
             Backwards,2026-11-05,2026-11-03,,7,,,,7,{at},\n\
             ,2026-11-03,,,ann,,Alchemy,abc,7,yesterday,\n\
             Partner missing,2026-11-03,2026-11-03,,7,Nobody Lab,,,7,{at},\n\
             Entry missing,2026-11-03,2026-11-03,,7,,,99,7,{at},\n\
             GOOD,2026-11-03,2026-11-03,,7,,,,7,{at},\n\
             Same entry,2026-11-04,2026-11-04,,7,,,1,7,{at},\n\
             Not asked,2026-11-05,2026-11-05,,7,,,,7,{at},8\n"
        ),
    )
    .unwrap();
    let err = install.refused(&["event", "import", path.to_str().unwrap()]);
    for part in [
        "nothing was imported: 7 rows need fixing first",
        "line 3: ends_on: an event cannot end before it starts",
        "line 4: name: an event needs a name",
        "ends_on: \"\" is not a date",
        "organisers: \"ann\" is not a Discord user id",
        "departments:",
        "entries: \"abc\" is not an entry id",
        "created_at: \"yesterday\" is not an RFC 3339 time",
        "line 5: partners: no partner called \"Nobody Lab\" in this server; import partners first",
        "line 6: entries: no entry 99 in this server; import the entries first",
        "line 7: name: \"GOOD\" on the same dates is the event of line 2 again",
        "line 8: entries: entry 1 is at the event of line 2 too",
        "line 9: nothing_needed: 8 is not one of the organisers",
    ] {
        assert!(err.contains(part), "{part:?} missing from:\n{err}");
    }
    assert!(!err.contains("line 2:"), "the good row is not listed:\n{err}");
    assert_eq!(event_export(&install, &install.db_path()).lines().count(), 1, "nothing imported");
    let no_header = install.path("header.csv");
    std::fs::write(&no_header, "name,starts_on\nX,2026-11-03\n").unwrap();
    let err = install.refused(&["event", "import", no_header.to_str().unwrap()]);
    assert!(err.contains("lacks the column ends_on"), "{err}");
    let err = install.refused(&["event", "import", "missing.csv"]);
    assert!(err.contains("cannot open missing.csv"), "{err}");
}

/// What a server set up where the command line has no command for it, set through the store as
/// the bot would: a digest (on Fridays, whose latest week it has posted), privacy choices,
/// liaison librarians, its locale and the record of one erasure.
fn set_up_server_settings(install: &Install) {
    use liaison::domain::digest_settings::DigestSettings;
    use liaison::domain::ids::{GuildId, UserId};
    use liaison::domain::privacy::{PrivacyAction, PrivacyActionKind, PrivacySettings};
    use liaison::store::Backoff;
    let url = format!("sqlite://{}", install.db_path().display());
    let path = shipped_config();
    let config =
        liaison::config::Config::parse(&path, &std::fs::read_to_string(&path).unwrap(), None, None).unwrap();
    let guild = config.default_guild.unwrap_or(GuildId(0));
    let rules = &config.rules;
    let now = chrono::Utc::now();
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        let store = liaison::store::connect(&url).await.unwrap();
        let digest = DigestSettings {
            guild,
            channel: 987654321098765432,
            weekday: chrono::Weekday::Fri,
            time: chrono::NaiveTime::from_hms_opt(16, 30, 0).unwrap(),
            timezone: chrono_tz::America::New_York,
            enabled: true,
            post_empty_weeks: false,
            problem: None,
        };
        store.save_digest_settings(&digest, now).await.unwrap();
        let week = liaison::service::settings::schedule(&digest).latest_due(now).period_start;
        let lease = chrono::Duration::minutes(10);
        assert!(store.claim_digest(guild, week, now, lease, Backoff::Honour).await.unwrap());
        store.mark_digest_sent(guild, week, &[111, 222], now).await.unwrap();
        let privacy = PrivacySettings {
            note_days: Some(90),
            names: false,
            hide_small_counts: true,
            ..PrivacySettings::defaults(guild)
        };
        store.save_privacy_settings(&privacy, now).await.unwrap();
        store.set_keeps_impact_past_retention(guild, false, now).await.unwrap();
        let law = rules.departments.resolve("Law").unwrap().key().clone();
        for user in [42, 7] {
            store.add_liaison(guild, &law, UserId(user)).await.unwrap();
        }
        store.save_guild_locale(guild, "en-US", now).await.unwrap();
        let erasure = PrivacyAction {
            guild,
            at: chrono::DateTime::parse_from_rfc3339("2026-10-01T08:15:30.250Z")
                .unwrap()
                .with_timezone(&chrono::Utc),
            by: "admin 1234".into(),
            kind: PrivacyActionKind::EraseAuthor,
            entries: 4,
        };
        store.record_privacy_action(&erasure).await.unwrap();
        store.close().await;
    });
}

fn settings_export(install: &Install, db: &Path) -> String {
    let out = install.cmd_with_db(db).args(["settings", "export"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_servers_settings_and_privacy_log_move_with_settings_export_and_import() {
    let install = Install::new();
    install.add(&["-d", "History", "-n", "José asked for EEBO training"]);
    install.run(&["departments", "served", "Music", "--no"]);
    install.run(&["privacy", "erase", "--text", "José"]);
    set_up_server_settings(&install);

    let exported = settings_export(&install, &install.db_path());
    let json: serde_json::Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(
        json["digest"],
        serde_json::json!({
            "channel": "987654321098765432", "weekday": "Fri", "time": "16:30",
            "timezone": "America/New_York", "enabled": true, "post_empty_weeks": false
        })
    );
    assert_eq!(json["privacy"]["note_days"], 90);
    assert_eq!(json["privacy"]["names"], false);
    assert_eq!(json["privacy"]["keep_impact_past_retention"], false);
    assert_eq!(json["locale"], "en-US");
    let departments = json["departments"].as_array().unwrap();
    assert!(departments.iter().any(|d| d["served"] == false && d["liaisons"] == serde_json::json!([])));
    assert!(departments
        .iter()
        .any(|d| d["served"].is_null() && d["liaisons"] == serde_json::json!(["7", "42"])));
    let log = json["privacy_log"].as_array().unwrap();
    assert_eq!(log.len(), 2, "{exported}");
    assert_eq!(log[0]["at"], "2026-10-01T08:15:30.250Z", "oldest first");
    assert_eq!((log[1]["kind"].as_str(), log[1]["entries"].as_u64()), (Some("erase-text"), Some(1)));
    assert!(!exported.contains("José"), "no erased text in the record");
    assert_eq!(json["digests_sent"][0]["message_ids"], serde_json::json!(["111", "222"]));

    let file = install.path("settings.json");
    install.cmd().args(["settings", "export", "--output"]).arg(&file).assert().success();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), exported);

    let other = install.path("other.db");
    let fresh = settings_export(&install, &other);
    install
        .cmd_with_db(&other)
        .args(["settings", "import", "--dry-run"])
        .arg(&file)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("digest.weekday: (not set) -> Fri")
                .and(predicate::str::contains("privacy.note_days: the config's -> 90"))
                .and(predicate::str::contains("locale: (not set) -> en-US"))
                .and(predicate::str::contains("privacy_log: 0 actions -> 2 more"))
                .and(predicate::str::contains("is good: would change")),
        );
    assert_eq!(settings_export(&install, &other), fresh, "a dry run writes nothing");

    install.cmd_with_db(&other).args(["settings", "import"]).arg(&file).assert().success().stdout(
        predicate::str::contains("departments.Music.served: the config's -> false")
            .and(predicate::str::contains("imported")),
    );
    assert_eq!(settings_export(&install, &other), exported, "export → import → export changed something");
    let log = |db: &Path| {
        let out = install.cmd_with_db(db).args(["privacy", "log", "--json"]).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(log(&other), log(&install.db_path()));

    install.cmd_with_db(&other).args(["settings", "import"]).arg(&file).assert().success().stdout(
        predicate::str::starts_with("nothing to change: this server's settings are already those of"),
    );
    assert_eq!(settings_export(&install, &other), exported, "a second import changes nothing");
    assert_eq!(log(&other), log(&install.db_path()), "no privacy action recorded twice");
}

#[test]
fn a_settings_import_with_bad_values_names_their_fields_and_writes_nothing() {
    let install = Install::new();
    set_up_server_settings(&install);
    let exported = settings_export(&install, &install.db_path());
    let other = install.path("other.db");
    let fresh = settings_export(&install, &other);
    let mut json: serde_json::Value = serde_json::from_str(&exported).unwrap();
    json["digest"]["time"] = "25:99".into();
    json["digest"]["timezone"] = "Mars/Olympus".into();
    json["departments"][0]["key"] = "Alchemy".into();
    json["privacy_log"][0]["kind"] = "shred".into();
    let bad = install.path("bad.json");
    std::fs::write(&bad, serde_json::to_string(&json).unwrap()).unwrap();
    let out = install.cmd_with_db(&other).args(["settings", "import"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("nothing was imported: 4 values need fixing first in"), "{err}");
    assert!(err.contains("digest.time: \"25:99\" is not a time"), "{err}");
    assert!(err.contains("digest.timezone: \"Mars/Olympus\""), "{err}");
    assert!(err.contains("departments[0].key: \"Alchemy\" is not a department"), "{err}");
    assert!(err.contains("privacy_log[0].kind: \"shred\""), "{err}");
    assert_eq!(settings_export(&install, &other), fresh, "nothing was written");

    json = serde_json::from_str(&exported).unwrap();
    json["version"] = 2.into();
    std::fs::write(&bad, serde_json::to_string(&json).unwrap()).unwrap();
    let out = install.cmd_with_db(&other).args(["settings", "import"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("version: 2 is not a version"));
    assert_eq!(settings_export(&install, &other), fresh, "nothing was written");
}

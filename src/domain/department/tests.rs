use super::*;

fn dept(name: &str, aliases: &[&str]) -> DepartmentSpec {
    DepartmentSpec { name: name.to_string(), aliases: aliases.iter().map(|a| a.to_string()).collect() }
}

fn catalogue() -> DepartmentCatalogue {
    DepartmentCatalogue::new(vec![
        dept("History", &["Hist.", "history dept"]),
        dept("Art History", &["History of Art", "HoA"]),
        dept("School of History, Art History and Philosophy", &["SHAPS"]),
        dept("Philosophy", &["Phil"]),
        dept("English", &["English Literature", "Eng Lit"]),
        dept("Electrical & Electronic Engineering", &["EEE"]),
        dept("Mechanical Engineering", &["MechEng"]),
        dept("Civil Engineering", &[]),
        dept("Historical Studies", &[]),
        dept("Women's Studies", &["Gender Studies"]),
        dept("Chemistry", &["Chem"]),
    ])
    .expect("valid catalogue")
}

fn resolved(cat: &DepartmentCatalogue, input: &str) -> String {
    cat.resolve(input).unwrap_or_else(|e| panic!("{input}: {e}")).name().to_string()
}

#[test]
fn resolves_names_and_aliases_ignoring_case_punctuation_and_spacing() {
    let cat = catalogue();
    for input in ["history", "HISTORY", " History ", "Hist.", "hist", "history dept", "History-Dept"] {
        assert_eq!(resolved(&cat, input), "History", "{input}");
    }
    for input in [
        "School of History, Art History and Philosophy",
        "school of history art history & philosophy",
        "SCHOOL OF HISTORY ART HISTORY AND PHILOSOPHY",
        "shaps",
    ] {
        assert_eq!(resolved(&cat, input), "School of History, Art History and Philosophy", "{input}");
    }
    assert_eq!(
        resolved(&cat, "Electrical and Electronic Engineering"),
        "Electrical & Electronic Engineering"
    );
    assert_eq!(resolved(&cat, "womens studies"), "Women's Studies");
    assert_eq!(resolved(&cat, "Women\u{2019}s Studies"), "Women's Studies");
    assert_eq!(resolved(&cat, "history of art"), "Art History");
    assert_eq!(resolved(&cat, "EngLit"), "English");
}

#[test]
fn unknown_departments_suggest_the_three_closest() {
    let err = catalogue().resolve(" histroy ").expect_err("misspelt");
    assert_eq!(err.input, "histroy");
    assert_eq!(err.suggestions.len(), 3);
    assert_eq!(err.suggestions[0], "History");
    assert!(err.to_string().contains("History"), "{err}");
}

#[test]
fn misspellings_suggest_the_intended_department_first() {
    let cat = catalogue();
    for (input, expected) in [
        ("histroy", "History"),
        ("Hsitory", "History"),
        ("philosphy", "Philosophy"),
        ("chemsitry", "Chemistry"),
        ("Englsh", "English"),
        ("mechanical engineerign", "Mechanical Engineering"),
        ("Womens Studys", "Women's Studies"),
    ] {
        assert_eq!(cat.closest(input, 3)[0], expected, "{input}");
    }
}

#[test]
fn partial_words_suggest_the_departments_that_contain_them() {
    let cat = catalogue();
    let engineering = cat.closest("engineering", 3);
    for name in ["Electrical & Electronic Engineering", "Mechanical Engineering", "Civil Engineering"] {
        assert!(engineering.contains(&name), "{engineering:?}");
    }
    let engin = cat.closest("engin", 3);
    assert!(!engin.contains(&"English"), "{engin:?}");
}

/// 500 departments named the way the benchmark names them.
fn realistic_catalogue() -> DepartmentCatalogue {
    let subjects = [
        "History",
        "Philosophy",
        "English",
        "Linguistics",
        "Classics",
        "Archaeology",
        "Music",
        "Theology",
        "French",
        "German",
        "Economics",
        "Politics",
        "Sociology",
        "Anthropology",
        "Psychology",
        "Law",
        "Education",
        "Geography",
        "Management",
        "Mathematics",
        "Statistics",
        "Computer Science",
        "Physics",
        "Chemistry",
        "Biology",
        "Genetics",
        "Medicine",
        "Nursing",
        "Pharmacy",
        "Civil Engineering",
        "Mechanical Engineering",
        "Chemical Engineering",
        "Architecture",
        "Drama",
        "Film Studies",
        "Criminology",
        "Finance",
        "Accounting",
        "Ecology",
        "Neuroscience",
        "Dentistry",
        "Public Health",
        "Astronomy",
        "Spanish",
        "Social Policy",
        "Earth Sciences",
        "Materials Science",
        "Biochemistry",
        "Art History",
        "Nutrition",
    ];
    let qualifiers = [
        "",
        "Applied",
        "Modern",
        "Medieval",
        "Clinical",
        "Digital",
        "Global",
        "Environmental",
        "Experimental",
        "Computational",
    ];
    let forms = ["{}", "Department of {}", "School of {}", "Centre for {} Studies", "Institute of {}"];
    let mut departments = Vec::new();
    for (q, qualifier) in qualifiers.iter().enumerate() {
        for (s, subject) in subjects.iter().enumerate() {
            let subject =
                if qualifier.is_empty() { subject.to_string() } else { format!("{qualifier} {subject}") };
            let name = forms[(q + s) % forms.len()].replace("{}", &subject);
            let n = departments.len();
            departments.push(dept(&name, &[&format!("{subject} dept {n}")]));
        }
    }
    DepartmentCatalogue::new(departments).expect("distinct names")
}

#[test]
fn the_shortlist_finds_suggestions_as_good_as_a_full_search() {
    let cat = realistic_catalogue();
    assert_eq!(cat.len(), 500);
    for input in [
        "histroy",
        "Departmnet of Poltiics",
        "Institute of Applied Chemsitry",
        "engineering",
        "enginering",
        "medival history",
        "computr science",
        "School of Modern Economcs",
        "psycology",
        "xqzv",
        "of",
        "lw",
        "Institute of Clinical Nursing",
        "dept 17",
    ] {
        let query = squash(input);
        let scores = |candidates: Vec<usize>| -> Vec<f64> {
            cat.score_suggestions(&query, candidates.into_iter()).iter().take(3).map(|s| s.0).collect()
        };
        let full = scores((0..cat.len()).collect());
        let short = match cat.shortlist(&query, SHORTLIST) {
            Some(shortlist) if query.len() >= SHORTLIST_MIN_CHARS => scores(shortlist),
            _ => full.clone(),
        };
        assert_eq!(short, full, "{input}");
        assert_eq!(cat.closest(input, 3).len(), 3);
    }
}

#[test]
fn misspellings_among_many_departments_suggest_the_intended_one() {
    let cat = realistic_catalogue();
    let names: Vec<String> = cat.iter().map(|d| d.name.clone()).collect();
    for name in names.iter().step_by(23) {
        // Swap two letters in the middle of the name.
        let mut chars: Vec<char> = name.chars().collect();
        let mid = (chars.len() / 2..chars.len() - 1)
            .find(|&i| chars[i].is_alphabetic() && chars[i + 1].is_alphabetic() && chars[i] != chars[i + 1])
            .expect("a pair of letters to swap");
        chars.swap(mid, mid + 1);
        let misspelt: String = chars.into_iter().collect();
        let err = cat.resolve(&misspelt).expect_err("misspelt");
        assert_eq!(&err.suggestions[0], name, "{misspelt}");
    }
    let engineering = cat.closest("engineering", 3);
    assert!(engineering.iter().all(|name| name.contains("Engineering")), "{engineering:?}");
}

#[test]
fn closest_returns_at_most_n_without_duplicates() {
    let cat = catalogue();
    assert!(cat.closest("history", 0).is_empty());
    let all = cat.closest("history", 100);
    assert_eq!(all.len(), cat.len());
    let mut unique = all.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), all.len());
}

#[test]
fn new_rejects_an_empty_list() {
    assert_eq!(DepartmentCatalogue::new(Vec::new()).err(), Some(CatalogueError::Empty));
}

#[test]
fn new_rejects_blank_names_and_aliases() {
    for bad in [dept("  ", &[]), dept("History", &[""]), dept("History", &["..."])] {
        assert_eq!(DepartmentCatalogue::new(vec![bad]).err(), Some(CatalogueError::Blank));
    }
}

#[test]
fn new_rejects_a_spelling_shared_by_two_departments() {
    let err = DepartmentCatalogue::new(vec![dept("History", &["Hist"]), dept("Histology", &["hist."])]).err();
    assert_eq!(
        err,
        Some(CatalogueError::Ambiguous {
            name: "hist.".to_string(),
            first: "History".to_string(),
            second: "Histology".to_string(),
        })
    );
    let by_name = DepartmentCatalogue::new(vec![dept("Art", &[]), dept("Fine Art", &["ART"])]).err();
    assert!(matches!(by_name, Some(CatalogueError::Ambiguous { .. })));
    let squashed = DepartmentCatalogue::new(vec![dept("Art History", &[]), dept("Arthistory", &[])]).err();
    assert!(matches!(squashed, Some(CatalogueError::Ambiguous { .. })));
}

#[test]
fn a_department_may_repeat_its_own_name_as_an_alias() {
    let cat = DepartmentCatalogue::new(vec![dept("History", &["history", "HISTORY."])]).expect("valid");
    assert_eq!(cat.autocomplete("hist", 25), ["History"]);
}

#[test]
fn iter_len_and_is_empty_follow_the_list() {
    let cat = catalogue();
    assert_eq!(cat.len(), 11);
    assert!(!cat.is_empty());
    assert_eq!(cat.iter().next().map(Department::name), Some("History"));
}

fn key(s: &str) -> DepartmentKey {
    DepartmentKey::from_stored(s)
}

/// `History` renamed `History and Classics`, keeping its old name as an alias.
fn renamed() -> DepartmentCatalogue {
    DepartmentCatalogue::new(vec![
        dept("Art History", &[]),
        dept("History and Classics", &["History", "Hist."]),
    ])
    .expect("valid catalogue")
}

#[test]
fn a_department_is_keyed_by_its_name_and_keeps_its_aliases() {
    let cat = renamed();
    let d = cat.resolve("hist").expect("alias");
    assert_eq!(d.key(), &key("History and Classics"));
    assert_eq!(d.name(), "History and Classics");
    assert_eq!(d.aliases(), [key("History"), key("Hist.")]);
}

#[test]
fn stored_keys_find_their_department_by_name_or_old_name() {
    let cat = renamed();
    let now = cat.by_key(&key("History and Classics")).map(Department::name);
    assert_eq!(now, Some("History and Classics"));
    assert_eq!(cat.by_key(&key("History")).map(Department::name), Some("History and Classics"));
    assert_eq!(cat.by_key(&key("Removed Department")), None);
    assert_eq!(cat.display_name(&key("History")), "History and Classics");
    assert_eq!(cat.display_name(&key("Removed Department")), "Removed Department");
}

#[test]
fn fingerprints_find_a_department_by_its_key_or_an_alias() {
    let cat = renamed();
    let history = cat.resolve("History and Classics").expect("name");
    let by = |k: &str| cat.by_fingerprint(key(k).fingerprint()).map(Department::name);
    assert_eq!(by("History and Classics"), Some("History and Classics"));
    assert_eq!(by("history"), Some("History and Classics"));
    assert_eq!(by("Art History"), Some("Art History"));
    assert_eq!(by("Philosophy"), None);
    assert_eq!(cat.by_fingerprint(history.key().fingerprint()), Some(history));
}

#[test]
fn a_department_is_filed_under_its_own_key_and_old_keys_in_use() {
    let cat = renamed();
    let history = cat.resolve("History and Classics").expect("name");
    let stored = [key("Art History"), key("History"), key("Gone"), key("History and Classics")];
    let keys = cat.keys_of(history, &stored);
    assert_eq!(keys.keys(), [key("History and Classics"), key("History")]);
    let art = cat.resolve("Art History").expect("name");
    assert_eq!(cat.keys_of(art, &stored).keys(), [key("Art History")]);
    assert_eq!(cat.keys_of(history, &[]).keys(), [key("History and Classics")]);
}

#[test]
fn empty_input_lists_the_catalogue_in_order() {
    let cat = catalogue();
    assert_eq!(
        cat.autocomplete("", 3),
        ["History", "Art History", "School of History, Art History and Philosophy"]
    );
    assert_eq!(cat.autocomplete("  ", 25).len(), 11);
    assert_eq!(cat.autocomplete("", 25)[10], "Chemistry");
}

#[test]
fn autocomplete_ranks_prefix_then_word_prefix_then_fuzzy() {
    let cat = catalogue();
    // The alias `Hist.` is exact; `Historical Studies` is a prefix of a name, `Art History`
    // of an alias (`History of Art`); the school has a later word starting `hist`.
    assert_eq!(
        cat.autocomplete("hist", 25),
        ["History", "Historical Studies", "Art History", "School of History, Art History and Philosophy"]
    );
    // Exact, then the alias prefix `History of Art`, then a later word, and last the fuzzy
    // match: `history` is one slip from the beginning of `historical`.
    assert_eq!(
        cat.autocomplete("history", 25),
        ["History", "Art History", "School of History, Art History and Philosophy", "Historical Studies"]
    );
    // Among fuzzy matches, one at the start of a name beats one at a later word.
    assert_eq!(
        cat.autocomplete("historic", 25),
        ["Historical Studies", "History", "Art History", "School of History, Art History and Philosophy"]
    );
}

#[test]
fn autocomplete_prefix_matches_on_name_or_alias() {
    let cat = catalogue();
    assert_eq!(cat.autocomplete("phil", 25)[0], "Philosophy");
    assert_eq!(cat.autocomplete("mech", 25)[0], "Mechanical Engineering");
    assert_eq!(cat.autocomplete("gender", 25)[0], "Women's Studies");
    assert_eq!(cat.autocomplete("EE", 25)[0], "Electrical & Electronic Engineering");
    assert_eq!(cat.autocomplete("Eng Li", 25)[0], "English");
}

#[test]
fn autocomplete_word_prefix_finds_later_words() {
    let cat = catalogue();
    let engi = cat.autocomplete("engi", 25);
    for name in ["Electrical & Electronic Engineering", "Mechanical Engineering", "Civil Engineering"] {
        assert!(engi.contains(&name), "{engi:?}");
    }
    let studies = cat.autocomplete("stud", 25);
    assert_eq!(studies.len(), 2, "{studies:?}");
}

#[test]
fn autocomplete_does_not_start_words_at_of_or_and() {
    let cat = catalogue();
    assert!(!cat.autocomplete("of", 25).contains(&"School of History, Art History and Philosophy"));
    // Typing across the words still works.
    assert_eq!(cat.autocomplete("school of hist", 25), ["School of History, Art History and Philosophy"]);
}

#[test]
fn autocomplete_finds_misspelt_partials() {
    let cat = catalogue();
    assert_eq!(cat.autocomplete("histroy", 25)[0], "History");
    assert_eq!(cat.autocomplete("hsit", 25)[0], "History");
    let enginering = cat.autocomplete("enginering", 25);
    assert_eq!(enginering.len(), 3, "{enginering:?}");
    assert!(enginering.contains(&"Civil Engineering"));
    assert_eq!(cat.autocomplete("philosphy", 25)[0], "Philosophy");
    assert_eq!(cat.autocomplete("chemsi", 25), ["Chemistry"]);
}

#[test]
fn autocomplete_puts_direct_matches_before_fuzzy_ones() {
    let cat = DepartmentCatalogue::new(vec![dept("Music", &[]), dept("Museum Studies", &[])]).expect("valid");
    assert_eq!(cat.autocomplete("mus", 25), ["Music", "Museum Studies"]);
    // `musc` is one slip from both; neither is a prefix.
    assert_eq!(cat.autocomplete("musc", 25), ["Music", "Museum Studies"]);
    assert_eq!(cat.autocomplete("musi", 25), ["Music", "Museum Studies"]);
}

#[test]
fn autocomplete_ignores_nonsense() {
    let cat = catalogue();
    assert!(cat.autocomplete("zzzz", 25).is_empty());
    assert!(cat.autocomplete("xq", 25).is_empty());
}

#[test]
fn autocomplete_respects_the_limit() {
    let cat = catalogue();
    assert_eq!(cat.autocomplete("e", 2).len(), 2);
    assert!(cat.autocomplete("e", 0).is_empty());
    assert!(cat.autocomplete("", 0).is_empty());
}

fn big_catalogue(n: usize) -> DepartmentCatalogue {
    let departments = (0..n)
        .map(|i| dept(&format!("Department of Subject {i}"), &[&format!("Subj {i}"), &format!("D{i:03}")]))
        .collect();
    DepartmentCatalogue::new(departments).expect("valid")
}

#[test]
fn autocomplete_never_repeats_a_department_and_keeps_the_limit() {
    let cat = big_catalogue(500);
    for input in ["d", "de", "dep", "subj", "subject 1", "sbuject", "d00", "1", "departmnet of"] {
        let got = cat.autocomplete(input, 25);
        assert!(got.len() <= 25, "{input}");
        let mut unique = got.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), got.len(), "{input}: {got:?}");
    }
    // The exact alias first, then codes one slip away (`D000`, `D017`).
    let code = cat.autocomplete("d007", 25);
    assert_eq!(code[0], "Department of Subject 7");
    assert!(code.contains(&"Department of Subject 17"), "{code:?}");
    assert_eq!(cat.autocomplete("subj 12", 25)[0], "Department of Subject 12");
}

#[test]
fn every_spelling_resolves_and_autocompletes_to_its_department() {
    let cat = catalogue();
    for department in cat.iter() {
        for spelling in
            std::iter::once(department.name()).chain(department.aliases().iter().map(|a| a.as_str()))
        {
            assert_eq!(resolved(&cat, spelling), department.name());
            assert_eq!(cat.autocomplete(spelling, 25)[0], department.name(), "{spelling}");
        }
    }
}

/// The plain table, one target at a time: what the trie walk must agree with.
fn prefix_edit_distance(query: &[char], target: &[char], max_edits: usize) -> Option<usize> {
    let n = target.len().min(query.len() + max_edits);
    let mut table = vec![vec![0usize; n + 1]; query.len() + 1];
    for (i, row) in table.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in table[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=query.len() {
        for j in 1..=n {
            let mut best = (table[i - 1][j - 1] + usize::from(query[i - 1] != target[j - 1]))
                .min(table[i - 1][j] + 1)
                .min(table[i][j - 1] + 1);
            if i > 1 && j > 1 && query[i - 1] == target[j - 2] && query[i - 2] == target[j - 1] {
                best = best.min(table[i - 2][j - 2] + 1);
            }
            table[i][j] = best;
        }
    }
    table[query.len()].iter().copied().min().filter(|&d| d <= max_edits)
}

#[test]
fn reference_distance_counts_slips_against_a_beginning() {
    let chars = |s: &str| s.chars().collect::<Vec<_>>();
    let d = |q: &str, t: &str, k| prefix_edit_distance(&chars(q), &chars(t), k);
    assert_eq!(d("hist", "history", 1), Some(0));
    assert_eq!(d("hsit", "history", 1), Some(1));
    assert_eq!(d("histroy", "history", 2), Some(1));
    assert_eq!(d("enginering", "engineering", 3), Some(1));
    assert_eq!(d("histx", "hist", 1), Some(1));
    assert_eq!(d("zzz", "history", 1), None);
    assert_eq!(d("abc", "", 1), None);
}

#[test]
fn fuzzy_walk_agrees_with_the_plain_table() {
    let cat = catalogue();
    let queries = [
        "histroy",
        "hsit",
        "hsitory",
        "enginering",
        "enigne",
        "philosphy",
        "chemsi",
        "gendr",
        "wmoen",
        "arhtist",
        "civl",
        "mechnaical",
        "xyz",
        "stuides",
        "eeee",
        "lit",
    ];
    for query in queries {
        let q: Vec<char> = query.chars().collect();
        let max_edits = allowed_edits(q.len());
        let mut matches = Matches::new(cat.len());
        FuzzyWalk::new(&cat.index, &q, max_edits, &mut matches).run();
        for entry in &cat.index.entries {
            let expected = prefix_edit_distance(&q, cat.index.suffix(entry), max_edits);
            let got = matches.best[entry.department as usize];
            if let Some(d) = expected {
                assert!(
                    got.0 == 3 && usize::from(got.1) <= d,
                    "{query} vs {:?}: expected {d}, got {got:?}",
                    cat.index.suffix(entry).iter().collect::<String>()
                );
            }
        }
        // Nothing is found that the plain table would not find.
        for &department in &matches.found {
            let best = matches.best[department as usize];
            let plain = cat
                .index
                .entries
                .iter()
                .filter(|e| e.department == department)
                .filter_map(|e| prefix_edit_distance(&q, cat.index.suffix(e), max_edits))
                .min();
            assert_eq!(plain, Some(usize::from(best.1)), "{query}: department {department}");
        }
    }
}

#[test]
fn words_normalise_case_ampersands_and_punctuation() {
    assert_eq!(
        words("School of History, Art History & Philosophy"),
        ["school", "of", "history", "art", "history", "and", "philosophy"]
    );
    assert_eq!(words("Women's   Studies"), ["womens", "studies"]);
    assert_eq!(words("Anglo-Saxon, Norse and Celtic"), ["anglo", "saxon", "norse", "and", "celtic"]);
    assert_eq!(words("ÉTUDES Françaises"), ["études", "françaises"]);
    // Decomposed accents are dropped rather than splitting the word.
    assert_eq!(words("E\u{301}tudes"), ["etudes"]);
    assert!(words(" .,;- ").is_empty());
}

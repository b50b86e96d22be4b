//! `OutputDir` on its own: new, earlier and foreign targets, concurrent commits, killed
//! writers. The binary's behaviour is tested in `tests/integration/outputs.rs`.

use super::*;

const MARKER: &str = "summary.json";

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_new_folder_appears_only_when_committed() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("out/run");
    let out = OutputDir::prepare(&target).unwrap();
    std::fs::write(out.path().join(MARKER), "{}").unwrap();
    assert!(!target.exists());
    assert_eq!(out.commit().unwrap(), None);
    assert_eq!(names(&target), [MARKER]);
    assert_eq!(names(&tmp.path().join("out")), ["run"]);
}

#[test]
fn an_earlier_run_is_moved_aside_and_an_uncommitted_one_leaves_no_trace() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("run");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join(MARKER), "earlier").unwrap();
    let out = OutputDir::prepare(&target).unwrap();
    drop(out);
    assert_eq!(names(tmp.path()), ["run"]);
    let out = OutputDir::prepare(&target).unwrap();
    std::fs::write(out.path().join(MARKER), "new").unwrap();
    let aside = out.commit().unwrap().unwrap();
    assert_eq!(
        std::fs::read_to_string(aside.join(MARKER)).unwrap(),
        "earlier"
    );
    assert_eq!(std::fs::read_to_string(target.join(MARKER)).unwrap(), "new");
    let aside_name = aside.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        aside_name.starts_with("run.20") && aside_name.ends_with('Z'),
        "{aside_name}"
    );
    // A second earlier run written in the same second gets a suffix.
    let out = OutputDir::prepare(&target).unwrap();
    std::fs::write(out.path().join(MARKER), "newer").unwrap();
    let second = out.commit().unwrap().unwrap();
    assert_ne!(second, aside);
    assert_eq!(names(tmp.path()).len(), 3);
}

#[test]
fn unusable_targets_are_refused_before_anything_is_made() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let others = tmp.path().join("others");
    std::fs::create_dir(&others).unwrap();
    std::fs::write(others.join("notes.txt"), "mine").unwrap();
    let message = |p: &Path| {
        OutputDir::prepare(p)
            .unwrap_err()
            .message
            .replace(&tmp.path().display().to_string(), "TMP")
    };
    assert_eq!(
        message(&file),
        "is a file, not a folder; give --out a folder"
    );
    assert_eq!(
        message(&file.join("sub/run")),
        "cannot make a folder in TMP/file/sub: TMP/file is a file, not a folder"
    );
    assert!(message(&others).contains("not from a corridor run"));
    assert_eq!(names(tmp.path()), ["file", "others"]);
}

#[test]
fn every_analysis_result_is_an_earlier_result_and_moves_aside() {
    for marker in MARKERS {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join(marker), "earlier").unwrap();
        let out = OutputDir::prepare(&target).unwrap();
        std::fs::write(out.path().join(marker), "new").unwrap();
        let aside = out.commit().unwrap().expect("moved aside");
        assert_eq!(
            std::fs::read_to_string(aside.join(marker)).unwrap(),
            "earlier"
        );
        assert_eq!(std::fs::read_to_string(target.join(marker)).unwrap(), "new");
    }
    // A run's folder that holds only an analysis folder is a result too.
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("out");
    std::fs::create_dir_all(target.join("criticality")).unwrap();
    std::fs::write(target.join("criticality/criticality.json"), "{}").unwrap();
    let out = OutputDir::prepare(&target).unwrap();
    assert!(out.commit().unwrap().is_some());
}

#[test]
fn the_root_and_parent_folders_are_refused() {
    for path in ["/", "..", "out/.."] {
        let e = OutputDir::prepare(Path::new(path)).unwrap_err();
        assert!(
            e.message.contains("is not a folder name") || e.message.contains("current folder"),
            "{path}: {e}"
        );
    }
}

#[test]
fn two_commits_into_one_target_keep_both_results() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("out");
    let (a, b) = (
        OutputDir::prepare(&target).unwrap(),
        OutputDir::prepare(&target).unwrap(),
    );
    assert_ne!(a.path(), b.path(), "each has its own staging folder");
    std::fs::write(a.path().join(MARKER), "a").unwrap();
    std::fs::write(b.path().join(MARKER), "b").unwrap();
    let ta = std::thread::spawn(move || a.commit().unwrap());
    let tb = std::thread::spawn(move || b.commit().unwrap());
    let moved: Vec<PathBuf> = [ta.join().unwrap(), tb.join().unwrap()]
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(moved.len(), 1, "one of the two found the other's result");
    let mut found: Vec<String> = [target.clone(), moved[0].clone()]
        .iter()
        .map(|d| std::fs::read_to_string(d.join(MARKER)).unwrap())
        .collect();
    found.sort();
    assert_eq!(found, ["a", "b"]);
    assert_eq!(names(tmp.path()).len(), 2, "{:?}", names(tmp.path()));
}

#[cfg(target_os = "linux")]
#[test]
fn a_staging_folder_moved_with_its_parent_is_committed_from_where_it_went() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("run/criticality");
    let out = OutputDir::prepare(&target).unwrap();
    std::fs::write(out.path().join("criticality.json"), "{}").unwrap();
    // A new run moves the folder above aside while the analysis works.
    std::fs::rename(tmp.path().join("run"), tmp.path().join("run.earlier")).unwrap();
    std::fs::create_dir(tmp.path().join("run")).unwrap();
    out.commit().unwrap();
    assert!(target.join("criticality.json").is_file());
    assert!(names(&tmp.path().join("run.earlier")).is_empty());
}

#[test]
fn folders_made_for_a_result_that_never_came_are_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = OutputDir::prepare(&tmp.path().join("a/b/run")).unwrap();
    assert!(tmp.path().join("a/b").is_dir());
    drop(out);
    assert!(names(tmp.path()).is_empty(), "{:?}", names(tmp.path()));
}

#[test]
fn files_put_in_the_target_meanwhile_are_left_alone_and_the_result_kept_beside() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("out");
    let out = OutputDir::prepare(&target).unwrap();
    std::fs::write(out.path().join(MARKER), "new").unwrap();
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("notes.txt"), "mine").unwrap();
    let e = out.commit().unwrap_err().to_string();
    assert!(
        e.contains("now holds files that are not from a corridor run"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_to_string(target.join("notes.txt")).unwrap(),
        "mine"
    );
    let kept: Vec<String> = names(tmp.path())
        .into_iter()
        .filter(|n| n.starts_with("out.20"))
        .collect();
    assert_eq!(kept.len(), 1, "{:?}", names(tmp.path()));
    assert!(e.contains(&kept[0]), "{e}");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join(&kept[0]).join(MARKER)).unwrap(),
        "new"
    );
    assert_eq!(names(tmp.path()).len(), 2, "no hidden folder is left");
}

//! Hostile catalog folders: what `source::read_catalog` reads, what it refuses before opening,
//! and how it reports files that are too large or not UTF-8.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use codegen::limits;
use codegen::source::{ReadError, Source, read_catalog};

/// A fresh folder under `target/` for one test, holding `catalog/` with one good file.
fn catalog(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("reading")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("catalog/errors")).unwrap();
    std::fs::write(dir.join("catalog/main.yaml"), "api: {}\n").unwrap();
    dir
}

/// Reads on another thread, so that a regression that blocks (a FIFO) fails instead of hanging.
fn read(path: &Path) -> Result<Vec<Source>, ReadError> {
    let path = path.to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(read_catalog(&path, "catalog"));
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("read_catalog returned within 20 s (it must not block on special files)")
}

fn names(sources: &[Source]) -> Vec<&str> {
    sources.iter().map(|s| s.name.as_str()).collect()
}

/// The one problem reported, which must name `file`.
fn refused(dir: &Path, file: &str) -> String {
    let err = read(&dir.join("catalog")).expect_err("the catalog must be refused");
    assert_eq!(err.problems.len(), 1, "{err}");
    let problem = err.problems[0].clone();
    assert!(
        problem.starts_with(&format!("catalog/{file}: ")),
        "{problem}"
    );
    problem
}

#[test]
fn a_symlink_to_a_file_inside_the_root_is_followed() {
    let dir = catalog("inside");
    std::fs::write(dir.join("catalog/errors/real.yml"), "errors: []\n").unwrap();
    std::os::unix::fs::symlink("errors/real.yml", dir.join("catalog/link.yaml")).unwrap();
    let sources = read(&dir.join("catalog")).unwrap();
    assert_eq!(
        names(&sources),
        [
            "catalog/errors/real.yml",
            "catalog/link.yaml",
            "catalog/main.yaml"
        ]
    );
    assert_eq!(sources[1].text, "errors: []\n");
}

#[test]
fn a_symlink_outside_the_root_is_refused_without_reading_it() {
    let dir = catalog("outside");
    let secret = dir.join("secret.yaml");
    std::fs::write(&secret, "token: hunter2\n").unwrap();
    std::os::unix::fs::symlink(&secret, dir.join("catalog/errors/leak.yaml")).unwrap();
    // `..` inside the folder's own path is resolved before the check.
    std::os::unix::fs::symlink("../secret.yaml", dir.join("catalog/dots.yaml")).unwrap();
    let err = read(&dir.join("catalog")).unwrap_err();
    assert_eq!(err.problems.len(), 2, "{err}");
    for problem in &err.problems {
        assert!(problem.contains("outside the catalog folder"), "{problem}");
        assert!(!problem.contains("hunter2"), "{problem}");
    }
}

#[test]
fn a_symlink_to_the_process_environment_is_refused() {
    let dir = catalog("environ");
    std::os::unix::fs::symlink("/proc/self/environ", dir.join("catalog/env.yaml")).unwrap();
    let problem = refused(&dir, "env.yaml");
    assert!(problem.contains("outside the catalog folder"), "{problem}");
    assert!(!problem.contains("PATH="), "{problem}");
}

#[test]
fn a_symlink_to_dev_zero_is_refused_at_once() {
    let dir = catalog("zero");
    std::os::unix::fs::symlink("/dev/zero", dir.join("catalog/zero.yaml")).unwrap();
    let problem = refused(&dir, "zero.yaml");
    assert!(problem.contains("outside the catalog folder"), "{problem}");
}

#[test]
fn a_device_given_as_the_catalog_is_refused() {
    for device in ["/dev/zero", "/dev/null"] {
        let err = read(Path::new(device)).unwrap_err();
        assert_eq!(
            err.problems,
            ["catalog: not a regular file (a device); only regular files are read"],
            "{device}"
        );
    }
}

#[test]
fn a_device_file_inside_the_root_is_refused() {
    let dir = catalog("device");
    let path = dir.join("catalog/null.yaml");
    let c_path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // The same device as /dev/null (1, 3). Creating devices needs privileges; without them the
    // link below stands in (a device reached through a link inside the root).
    let made = unsafe { libc::mknod(c_path.as_ptr(), libc::S_IFCHR | 0o644, libc::makedev(1, 3)) };
    if made != 0 {
        std::fs::create_dir_all(dir.join("catalog/dev")).unwrap();
        eprintln!("mknod failed; testing a FIFO reached through a link instead");
        let fifo = dir.join("catalog/dev/fifo");
        let c_fifo = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c_fifo.as_ptr(), 0o644) }, 0);
        std::os::unix::fs::symlink("dev/fifo", &path).unwrap();
        let problem = refused(&dir, "null.yaml");
        assert!(
            problem.contains("a symbolic link to not a regular file (a FIFO)"),
            "{problem}"
        );
        return;
    }
    let problem = refused(&dir, "null.yaml");
    assert!(
        problem.ends_with("not a regular file (a device); only regular files are read"),
        "{problem}"
    );
}

#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = catalog("fifo");
    let fifo = dir.join("catalog/pipe.yaml");
    let c_fifo = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c_fifo.as_ptr(), 0o644) }, 0);
    let problem = refused(&dir, "pipe.yaml");
    assert!(
        problem.ends_with("not a regular file (a FIFO); only regular files are read"),
        "{problem}"
    );
}

#[test]
fn sockets_and_links_to_folders_are_refused() {
    let dir = catalog("socket");
    let _listener = std::os::unix::net::UnixListener::bind(dir.join("catalog/s.yaml")).unwrap();
    std::os::unix::fs::symlink("errors", dir.join("catalog/folder.yaml")).unwrap();
    let err = read(&dir.join("catalog")).unwrap_err();
    assert_eq!(
        err.problems,
        [
            "catalog/folder.yaml: a symbolic link to a folder; links to folders are not followed",
            "catalog/s.yaml: not a regular file (a socket); only regular files are read",
        ]
    );
}

#[test]
fn special_files_without_a_yaml_name_are_skipped() {
    let dir = catalog("skipped");
    std::os::unix::fs::symlink("/proc/self/environ", dir.join("catalog/environ")).unwrap();
    let sources = read(&dir.join("catalog")).unwrap();
    assert_eq!(names(&sources), ["catalog/main.yaml"]);
}

#[test]
fn a_file_over_the_size_limit_is_refused_without_reading_it() {
    let dir = catalog("large");
    // Sparse: the test writes no data, and a reader that read it all would take seconds.
    let file = std::fs::File::create(dir.join("catalog/errors/huge.yaml")).unwrap();
    file.set_len(limits::FILE_BYTES + 1).unwrap();
    let start = std::time::Instant::now();
    let problem = refused(&dir, "errors/huge.yaml");
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_eq!(
        problem,
        "catalog/errors/huge.yaml: 33554433 bytes is larger than the limit of 32 MiB per file (catalog/README.md, \"Limits\")"
    );
}

#[test]
fn files_over_the_total_limit_are_refused() {
    let dir = catalog("total");
    let per_file = limits::FILE_BYTES;
    let files = limits::TOTAL_BYTES / per_file + 1;
    for i in 0..files {
        let file = std::fs::File::create(dir.join(format!("catalog/errors/{i}.yaml"))).unwrap();
        file.set_len(per_file).unwrap();
    }
    let err = read(&dir.join("catalog")).unwrap_err();
    assert_eq!(err.problems.len(), 1, "{err}");
    assert!(
        err.problems[0].contains("together exceed the limit of 128 MiB"),
        "{err}"
    );
}

#[test]
fn every_file_that_is_not_utf8_is_reported_with_line_and_column() {
    let dir = catalog("utf8");
    std::fs::write(dir.join("catalog/a.yaml"), b"api:\n  name: \xc3\xa9t\xe9\n").unwrap();
    std::fs::write(dir.join("catalog/errors/b.yaml"), b"\r\n\r\nx: \xff\n").unwrap();
    let err = read(&dir.join("catalog")).unwrap_err();
    assert_eq!(
        err.problems,
        [
            "catalog/a.yaml:2:11: not UTF-8 (byte 0xE9); catalog files must be UTF-8 text",
            "catalog/errors/b.yaml:3:4: not UTF-8 (byte 0xFF); catalog files must be UTF-8 text",
        ]
    );
}

#[test]
fn control_characters_in_file_names_are_escaped() {
    let dir = catalog("names");
    std::fs::write(dir.join("catalog/\u{1b}[2J\n.yaml"), b"\xff").unwrap();
    let err = read(&dir.join("catalog")).unwrap_err();
    assert_eq!(
        err.problems,
        ["catalog/\\u{1b}[2J\\n.yaml:1:1: not UTF-8 (byte 0xFF); catalog files must be UTF-8 text"]
    );
}

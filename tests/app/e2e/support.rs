//! A real browser for the journeys: Debian's `chromium` driven by its own `chromedriver` through
//! WebDriver (JSON over HTTP, spoken with the suite's own HTTP client), with a fresh profile per
//! test, screenshots of key pages, and a screenshot plus the page's HTML when a test fails.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{Client, DEMO_PASSWORD, TestApp};

/// Headless, and nothing that reaches out to the network or updates itself on its own.
const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
];
/// The key of an element reference in WebDriver's JSON.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long a step waits for the page to get where the test expects it.
const PATIENCE: Duration = Duration::from_secs(15);

/// The phone and desktop windows the layout is checked at.
pub const PHONE: (u32, u32) = (390, 844);
pub const DESKTOP: (u32, u32) = (1280, 800);

/// Where the two programs are, or what is missing.
struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

impl Tools {
    /// `E2E_CHROMIUM` / `E2E_CHROMEDRIVER` when set, else `chromium`/`chromedriver` on
    /// the `PATH`.
    fn find() -> Result<Tools, Vec<&'static str>> {
        let chromium = locate("E2E_CHROMIUM", &["chromium", "chromium-browser"]);
        let chromedriver = locate("E2E_CHROMEDRIVER", &["chromedriver"]);
        match (chromium, chromedriver) {
            (Some(chromium), Some(chromedriver)) => Ok(Tools {
                chromium,
                chromedriver,
            }),
            (chromium, chromedriver) => {
                let mut missing = Vec::new();
                if chromium.is_none() {
                    missing.push("chromium");
                }
                if chromedriver.is_none() {
                    missing.push("chromedriver (package chromium-driver)");
                }
                Err(missing)
            }
        }
    }
}

fn locate(variable: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable).filter(|path| !path.is_empty()) {
        return Some(PathBuf::from(path)).filter(|path| path.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// `target/e2e/<test>/`: the test's screenshots, and what it saw when it failed.
pub fn artefact_dir(test: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("e2e")
        .join(test)
}

/// One test's browser: its own chromedriver process on a port it picked itself, its own Chromium
/// profile and download folder, pointed at one lokus server.
pub struct Browser {
    test: String,
    base: String,
    driver: Child,
    wire: Client,
    session: String,
    scratch: PathBuf,
    downloads: PathBuf,
    /// The width of the window the page is laid out in, in CSS pixels.
    width: u32,
}

impl Browser {
    /// The browser for `test` against `app`, or `None` after saying loudly on stderr that the
    /// test was skipped and what is missing. `E2E_REQUIRED=1` (set by `.ci/run`) turns a
    /// missing browser into a failure instead.
    pub fn start(test: &str, app: &TestApp) -> Option<Browser> {
        let tools = match Tools::find() {
            Ok(tools) => tools,
            Err(missing) => {
                let missing = missing.join(" and ");
                let install = "Debian: apt-get install chromium chromium-driver";
                if std::env::var("E2E_REQUIRED").is_ok_and(|value| value == "1") {
                    panic!(
                        "e2e test {test} cannot run: {missing} not found ({install}; E2E_REQUIRED=1)"
                    );
                }
                let message = format!("e2e test {test} SKIPPED: {missing} not found ({install})");
                // straight to the process's stderr: libtest would swallow `eprintln!` of a
                // passing test, and a skip must never pass silently
                let _ = writeln!(std::io::stderr(), "\n*** {message} ***\n");
                return None;
            }
        };
        let dir = artefact_dir(test);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the artefact folder");

        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let scratch = std::env::temp_dir().join(format!(
            "lokus-e2e-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&scratch);
        let (profile, downloads) = (scratch.join("profile"), scratch.join("downloads"));
        std::fs::create_dir_all(&profile).expect("create the profile folder");
        std::fs::create_dir_all(&downloads).expect("create the download folder");

        let (driver, port) = spawn_driver(&tools.chromedriver);
        let wire = Client::new(SocketAddr::from(([127, 0, 0, 1], port)));
        let mut browser = Browser {
            test: test.to_owned(),
            base: format!("http://{}", app.addr),
            driver,
            wire,
            session: String::new(),
            scratch,
            downloads,
            width: DESKTOP.0,
        };
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|flag| flag.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push(format!("--window-size={},{}", DESKTOP.0, DESKTOP.1));
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": tools.chromium,
                "args": args,
                "prefs": {
                    "download.default_directory": browser.downloads,
                    "download.prompt_for_download": false,
                },
            },
            // finding an element waits this long for it to appear
            "timeouts": {"implicit": 3000, "pageLoad": 30000, "script": 10000},
            "unhandledPromptBehavior": "ignore",
        }}});
        let session = browser.call("POST", "/session", Some(capabilities));
        browser.session = session["sessionId"]
            .as_str()
            .expect("a WebDriver session id")
            .to_owned();
        browser.cdp(
            "Browser.setDownloadBehavior",
            json!({"behavior": "allow", "downloadPath": browser.downloads}),
        );
        browser.viewport(DESKTOP);
        Some(browser)
    }

    /// One WebDriver command; a WebDriver error fails the test with its message.
    fn call(&mut self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|body| ("application/json".to_owned(), body.to_string().into_bytes()));
        // WebDriver wants a JSON body on every POST, even an empty one
        let body = match (method, body) {
            ("POST", None) => Some(("application/json".to_owned(), b"{}".to_vec())),
            (_, body) => body,
        };
        let response = self.wire.request(method, path, body);
        let value: Value = serde_json::from_slice(&response.body).unwrap_or_else(|error| {
            panic!(
                "chromedriver answered {method} {path} with {} that is not JSON ({error}): {}",
                response.status,
                response.text()
            )
        });
        let value = value.get("value").cloned().unwrap_or(Value::Null);
        if response.status != 200 {
            panic!(
                "WebDriver {method} {path} failed ({}): {} {}",
                response.status, value["error"], value["message"]
            );
        }
        value
    }

    fn session_call(&mut self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        self.call(method, &path, body)
    }

    /// A Chrome DevTools command through chromedriver.
    fn cdp(&mut self, cmd: &str, params: Value) -> Value {
        self.session_call(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": cmd, "params": params})),
        )
    }

    /// Lays the page out as a window of `width` x `height` CSS pixels (a phone below 600).
    /// Chromium will not make a headless window narrower than 500 px, so this goes through the
    /// DevTools device metrics, as the browser's own phone emulation does. A phone widens a page
    /// that does not fit (it zooms out), which `wider_than_window` reports.
    pub fn viewport(&mut self, (width, height): (u32, u32)) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}),
        );
        self.width = width;
    }

    /// Runs `body` (a function body; `arguments` are `args`) in the page.
    pub fn script(&mut self, body: &str, args: Value) -> Value {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(json!({"script": body, "args": args})),
        )
    }

    /// Opens a lokus path (`/anggaran`) or any URL.
    pub fn goto(&mut self, path: &str) {
        let url = if path.starts_with('/') {
            format!("{}{path}", self.base)
        } else {
            path.to_owned()
        };
        self.session_call("POST", "/url", Some(json!({"url": url})));
    }

    pub fn back(&mut self) {
        self.session_call("POST", "/back", None);
    }

    /// The path and query of the page shown.
    pub fn path(&mut self) -> String {
        self.script("return location.pathname + location.search", json!([]))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The text of the page as a person reads it (what is rendered, not the markup).
    pub fn text(&mut self) -> String {
        self.script(
            "return document.body ? document.body.innerText : ''",
            json!([]),
        )
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    pub fn html(&mut self) -> String {
        self.session_call("GET", "/source", None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The first element matching `css`, waiting a moment for it to appear.
    pub fn find(&mut self, css: &str) -> String {
        let found = self.session_call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element for {css}"))
            .to_owned()
    }

    /// How many elements match `css` now (no waiting).
    pub fn count(&mut self, css: &str) -> usize {
        self.script(
            "return document.querySelectorAll(arguments[0]).length",
            json!([css]),
        )
        .as_u64()
        .unwrap_or_default() as usize
    }

    pub fn click(&mut self, css: &str) {
        let element = self.find(css);
        self.session_call("POST", &format!("/element/{element}/click"), None);
    }

    /// Clicks the link or button whose visible text is `label`.
    pub fn click_labelled(&mut self, label: &str) {
        let found = self.session_call(
            "POST",
            "/element",
            Some(json!({
                "using": "xpath",
                "value": format!("//a[normalize-space(.)={0}] | //button[normalize-space(.)={0}]", xpath_literal(label)),
            })),
        );
        let element = found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no link or button labelled {label:?}"))
            .to_owned();
        self.session_call("POST", &format!("/element/{element}/click"), None);
    }

    /// Types `text` into the field matching `css`, replacing what it held.
    pub fn fill(&mut self, css: &str, text: &str) {
        let element = self.find(css);
        self.session_call("POST", &format!("/element/{element}/clear"), None);
        self.session_call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({"text": text})),
        );
    }

    /// Chooses the option with `value` in the `<select>` matching `css`.
    pub fn select(&mut self, css: &str, value: &str) {
        self.click(&format!("{css} option[value=\"{value}\"]"));
    }

    /// Puts a file on disk into the file input matching `css`, as choosing it in the dialog does.
    pub fn choose_file(&mut self, css: &str, file: &Path) {
        let element = self.find(css);
        self.session_call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({"text": file.display().to_string()})),
        );
    }

    /// Writes `bytes` to a file of this test's scratch folder (for uploads).
    pub fn scratch_file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.scratch.join(name);
        std::fs::write(&path, bytes).expect("write a scratch file");
        path
    }

    /// Logs in through the login page as a demo account.
    pub fn login(&mut self, email: &str) {
        self.goto("/masuk");
        self.fill("input[name=email]", email);
        self.fill("input[name=password]", DEMO_PASSWORD);
        self.click("form[action='/masuk'] button[type=submit]");
        self.wait_for(&format!("logged in as {email}"), |browser| {
            browser.count("form.logout") == 1
        });
    }

    /// Polls `ready` until it holds, failing the test after a while with `what`.
    pub fn wait_for(&mut self, what: &str, mut ready: impl FnMut(&mut Browser) -> bool) {
        let start = Instant::now();
        while !ready(self) {
            if start.elapsed() > PATIENCE {
                panic!("waited {PATIENCE:?} for: {what}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the page at `path` (its path, without the query) to have loaded.
    pub fn wait_for_path(&mut self, what: &str, check: impl Fn(&str) -> bool) {
        self.wait_for(what, |browser| {
            let path = browser.path();
            check(&path)
                && browser.script("return document.readyState", json!([])) == json!("complete")
        });
    }

    /// Saves the whole page (not only the window) as `target/e2e/<test>/<name>.png`.
    pub fn screenshot(&mut self, name: &str) -> PathBuf {
        let shot = self.cdp(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true}),
        );
        let png = decode_base64(shot["data"].as_str().unwrap_or_default());
        let path = artefact_dir(&self.test).join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write a screenshot");
        path
    }

    /// Screenshots of the page at the desktop and the phone width (`<name>-1280.png`,
    /// `<name>-390.png`), failing when it is wider than either window; ends at desktop width.
    pub fn screenshots_at_both_widths(&mut self, name: &str) {
        let problems = self.screenshots_and_layout(name);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// As `screenshots_at_both_widths`, returning what sticks out instead of failing.
    pub fn screenshots_and_layout(&mut self, name: &str) -> Vec<String> {
        let mut problems = Vec::new();
        for size in [DESKTOP, PHONE] {
            self.viewport(size);
            self.screenshot(&format!("{name}-{}", size.0));
            problems.extend(
                self.wider_than_window()
                    .map(|wide| format!("{name}: {wide}")),
            );
        }
        self.viewport(DESKTOP);
        problems
    }

    /// What sticks out of the window so that the whole page scrolls sideways or a phone has to
    /// zoom out (a wide table scrolling inside its own frame is fine), or `None` when it fits.
    pub fn wider_than_window(&mut self) -> Option<String> {
        let overflow = self.script(
            r#"
            const width = arguments[0];
            const wide = [];
            for (const element of document.body.querySelectorAll('*')) {
              let inside = element.parentElement;
              while (inside && getComputedStyle(inside).overflowX === 'visible') inside = inside.parentElement;
              if (inside && inside !== document.body && inside !== document.documentElement) continue;
              const box = element.getBoundingClientRect();
              if (box.width > 0 && box.right > width + 1) {
                wide.push(element.tagName.toLowerCase() + (element.className ? '.' + element.className : '')
                  + ' to ' + Math.round(box.right) + ' px: ' + (element.innerText || '').slice(0, 60));
              }
            }
            const scroll = Math.max(document.documentElement.scrollWidth, window.innerWidth);
            return {scroll, wide: wide.slice(0, 8)};
            "#,
            json!([self.width]),
        );
        let scroll = overflow["scroll"].as_u64().unwrap_or_default();
        (scroll > u64::from(self.width)).then(|| {
            format!(
                "{} at {} px is {scroll} px wide; sticking out: {}",
                self.path(),
                self.width,
                overflow["wide"]
            )
        })
    }

    /// Saves what the browser shows now: `<name>.png` and `<name>.html` in the artefact folder.
    fn save_evidence(&mut self, name: &str) -> PathBuf {
        let dir = artefact_dir(&self.test);
        let _ = std::fs::create_dir_all(&dir);
        // the whole page when DevTools answers, else the window as WebDriver sees it
        let whole = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.screenshot(name);
        }));
        if whole.is_err()
            && let Ok(shot) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.session_call("GET", "/screenshot", None)
            }))
        {
            let png = decode_base64(shot.as_str().unwrap_or_default());
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
        if let Ok(html) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.html())) {
            let _ = std::fs::write(dir.join(format!("{name}.html")), html);
        }
        dir
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if std::thread::panicking() && !self.session.is_empty() {
            let dir = self.save_evidence("failure");
            eprintln!(
                "e2e test {} failed: screenshot and page HTML in {}",
                self.test,
                dir.display()
            );
        }
        if !self.session.is_empty() {
            let path = format!("/session/{}", self.session);
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.wire.request("DELETE", &path, None)
            }));
        }
        // chromedriver leads a process group of its own, which its Chromium joins: ending the
        // group ends a browser whose session never started or could not be closed, too
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

/// Starts chromedriver on a port of its own choosing and reads which one from its first lines.
fn spawn_driver(chromedriver: &Path) -> (Child, u16) {
    let mut driver = Command::new(chromedriver)
        .arg("--port=0")
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("start {}: {error}", chromedriver.display()));
    let stdout = driver.stdout.take().expect("chromedriver's stdout");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        // keeps reading to the end, so chromedriver never blocks on a full pipe
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(port) = line
                .split("started successfully on port ")
                .nth(1)
                .and_then(|rest| rest.trim_end_matches('.').trim().parse::<u16>().ok())
            {
                let _ = sender.send(port);
            }
        }
    });
    match receiver.recv_timeout(Duration::from_secs(20)) {
        Ok(port) => (driver, port),
        Err(_) => {
            let _ = driver.kill();
            panic!("chromedriver did not say which port it listens on");
        }
    }
}

/// An XPath string literal for any text (XPath 1 has no escapes).
fn xpath_literal(text: &str) -> String {
    if !text.contains('"') {
        format!("\"{text}\"")
    } else if !text.contains('\'') {
        format!("'{text}'")
    } else {
        let parts: Vec<String> = text.split('"').map(|part| format!("\"{part}\"")).collect();
        format!("concat({})", parts.join(", '\"', "))
    }
}

/// Standard base64 (screenshots come that way); anything else in the input is skipped.
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |byte: u8| match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for sextet in text.bytes().filter_map(value) {
        buffer = (buffer << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn base64_decodes_what_chromium_sends() {
    assert_eq!(decode_base64("bG9rdXM="), b"lokus");
    assert_eq!(decode_base64("iVBORw0KGgo="), b"\x89PNG\r\n\x1a\n");
    assert_eq!(decode_base64(""), b"");
}

/// A table of the page as a person reads it: its column titles and its rows of cell texts.
#[derive(Debug)]
pub struct SeenTable {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl SeenTable {
    /// The cell of `row` under the column titled `column`.
    pub fn cell<'a>(&self, row: &'a [String], column: &str) -> &'a str {
        let index = self
            .columns
            .iter()
            .position(|title| title == column)
            .unwrap_or_else(|| panic!("no column {column:?} in {:?}", self.columns));
        row.get(index).map(String::as_str).unwrap_or_default()
    }
}

impl Browser {
    /// The first table after the heading that starts with `heading`.
    pub fn table_after(&mut self, heading: &str) -> SeenTable {
        self.find_table_after(heading)
            .unwrap_or_else(|| panic!("no table under a heading starting with {heading:?}"))
    }

    /// As `table_after`, or `None` while the page has no such table.
    pub fn find_table_after(&mut self, heading: &str) -> Option<SeenTable> {
        let found = self.script(
            r#"
            const heading = [...document.querySelectorAll('h1, h2, h3')]
              .find(h => h.innerText.trim().startsWith(arguments[0]));
            if (!heading) return null;
            const tables = [...document.querySelectorAll('table')]
              .filter(t => heading.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING);
            if (!tables.length) return null;
            const text = cell => cell.innerText.trim();
            return {
              columns: [...tables[0].querySelectorAll('thead th')].map(text),
              rows: [...tables[0].querySelectorAll('tbody tr')].map(tr => [...tr.cells].map(text)),
            };
            "#,
            json!([heading]),
        );
        let strings = |value: &Value| -> Vec<String> {
            value
                .as_array()
                .into_iter()
                .flatten()
                .map(|cell| cell.as_str().unwrap_or_default().to_owned())
                .collect()
        };
        if found.is_null() {
            return None;
        }
        Some(SeenTable {
            columns: strings(&found["columns"]),
            rows: found["rows"]
                .as_array()
                .into_iter()
                .flatten()
                .map(strings)
                .collect(),
        })
    }

    /// Clicks the link or button labelled `label` and returns the file it made the browser
    /// download (its name and bytes), once Chromium has finished writing it.
    pub fn download_by_clicking(&mut self, label: &str) -> (String, Vec<u8>) {
        let before = self.download_names();
        self.click_labelled(label);
        let (mut name, mut size, mut steady) = (None::<String>, 0u64, 0);
        self.wait_for(&format!("a download after clicking {label:?}"), |browser| {
            let names = browser.download_names();
            let writing = names
                .iter()
                .any(|name| name.ends_with(".crdownload") || name.ends_with(".tmp"));
            let new = names.into_iter().find(|name| !before.contains(name));
            let now = new
                .as_ref()
                .and_then(|name| std::fs::metadata(browser.downloads.join(name)).ok())
                .map_or(0, |meta| meta.len());
            // finished: no partial file left and the size unchanged over a few polls
            steady = if !writing && now > 0 && now == size && new == name {
                steady + 1
            } else {
                0
            };
            (name, size) = (new, now);
            steady >= 3
        });
        let name = name.unwrap_or_default();
        let bytes = std::fs::read(self.downloads.join(&name)).expect("read the download");
        (name, bytes)
    }

    fn download_names(&self) -> Vec<String> {
        std::fs::read_dir(&self.downloads)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect()
    }
}

/// The demo accounts, one per role, whose pages the tours walk.
pub const ROLES: [&str; 5] = [
    "admin@berau.demo",
    "dinkes@berau.demo",
    "bupati@berau.demo",
    "baas@berau.demo",
    "sponsor1@berau.demo",
];

/// The demo district with data on every page: the demo workplans committed, plus one upload of
/// Dinas Kesehatan that was rejected (its report lists errors). Returns the server and the
/// report pages (`/impor/ID`) of the rejected upload and of a committed one.
pub fn district_with_data() -> (TestApp, Vec<String>) {
    use crate::support::workbook::{V, header, line, xlsx};
    let app = TestApp::start(crate::support::Seed::Demo);
    lokus::services::demo::load_workplans(&mut app.db.connect()).expect("the demo workplans");
    let mut bad = line(
        "1.02.02.2.02.0016",
        "5.1.02.01.01.0024",
        "Tablet tambah darah remaja putri",
        2_000.0,
        1_250.0,
        2_500_000.0,
        "DAU",
        "SP99",
        "",
    );
    bad[7] = V::T("12x");
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let rejected = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "rencana-kerja-salah.xlsx",
        &xlsx(&[header(), bad]),
    );
    let rejected = rejected.location().expect("a report").to_owned();
    let history = dinkes.get("/impor").text();
    let committed = history
        .split("href=\"/impor/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|id| format!("/impor/{id}"))
        .find(|url| *url != rejected && url["/impor/".len()..].parse::<i64>().is_ok())
        .expect("a committed demo import in the history");
    (app, vec![rejected, committed])
}

/// `dinkes-impor-5` for `/impor/5` seen by dinkes@...
pub fn shot_name(email: &str, page: &str) -> String {
    let who = email.split('@').next().unwrap_or(email);
    let page = page.trim_matches('/').replace(['/', '?', '=', '&'], "-");
    let page = if page.is_empty() { "beranda" } else { &page };
    format!("{who}-{page}")
}

impl Browser {
    /// The menu's links on the page shown.
    pub fn menu(&mut self) -> Vec<String> {
        self.script(
            "return [...document.querySelectorAll('nav.menu a')].map(a => a.getAttribute('href'))",
            json!([]),
        )
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|href| href.as_str().map(str::to_owned))
        .collect()
    }

    /// Logs out with the header's button, whatever language the page is in.
    pub fn logout(&mut self) {
        self.click("form.logout button[type=submit]");
        self.wait_for_path("the login page after logout", |path| {
            path.starts_with("/masuk")
        });
    }

    /// The pages a person with `email` reaches: the menu's, the password page and, for those who
    /// import, the `reports` given.
    pub fn pages_of(&mut self, email: &str, reports: &[String]) -> Vec<String> {
        self.goto("/");
        let mut pages = self.menu();
        pages.push("/sandi".to_owned());
        // the reports are budget imports: the BAAS desk's /impor holds only its own kinds
        if pages.iter().any(|page| page == "/impor") && !email.starts_with("baas@") {
            pages.extend(reports.iter().cloned());
        }
        assert!(pages.len() > 1, "{email} has a menu");
        pages
    }
}

// summary: the page's script errors, for journeys that draw charts
impl Browser {
    /// From now on every page keeps its uncaught errors and `console.error` calls in
    /// `window.__lokusErrors` (installed before the page's own scripts run), read by `errors`.
    pub fn capture_errors(&mut self) {
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({"source": "window.__lokusErrors = [];
                window.addEventListener('error', e => window.__lokusErrors.push(String(e.message || e)));
                window.addEventListener('unhandledrejection', e => window.__lokusErrors.push(String(e.reason)));
                const lokusConsoleError = console.error;
                console.error = (...args) => { window.__lokusErrors.push(args.join(' ')); lokusConsoleError(...args); };"}),
        );
    }

    /// The errors the page shown has had (see `capture_errors`).
    pub fn errors(&mut self) -> Vec<String> {
        self.script(
            "return window.__lokusErrors || ['error capture not installed']",
            json!([]),
        )
        .as_array()
        .into_iter()
        .flatten()
        .map(|error| error.as_str().unwrap_or_default().to_owned())
        .collect()
    }
}

// baas desk: what a report looks like on paper
impl Browser {
    /// The page as Chromium prints it (the page size its CSS asks for), saved as `<name>.pdf`.
    pub fn print_to_pdf(&mut self, name: &str) -> Vec<u8> {
        let pdf = self.cdp(
            "Page.printToPDF",
            json!({"preferCSSPageSize": true, "printBackground": true}),
        );
        let bytes = decode_base64(pdf["data"].as_str().unwrap_or_default());
        std::fs::write(artefact_dir(&self.test).join(format!("{name}.pdf")), &bytes)
            .expect("write a pdf");
        bytes
    }

    /// A screenshot with the print stylesheet applied at A4's width (794 px at 96 dpi), to look
    /// at what the paper shows; back to the screen and the desktop window afterwards.
    pub fn print_preview(&mut self, name: &str) -> PathBuf {
        self.cdp("Emulation.setEmulatedMedia", json!({"media": "print"}));
        self.viewport((794, 1123));
        let shot = self.screenshot(name);
        self.cdp("Emulation.setEmulatedMedia", json!({"media": ""}));
        self.viewport(DESKTOP);
        shot
    }
}

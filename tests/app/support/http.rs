//! A small HTTP/1.1 client over a plain `TcpStream`, with a cookie jar: enough to drive lokus as a
//! browser would (forms, redirects by hand, cookies), against any lokus process on any port.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf_token(&self) -> String {
        let text = self.text();
        let marker = "name=\"csrf_token\" value=\"";
        let start = text
            .find(marker)
            .unwrap_or_else(|| panic!("no csrf_token on the page: {text}"))
            + marker.len();
        text[start..start + text[start..].find('"').expect("closing quote")].to_owned()
    }
}

/// A browser of one user: its own cookie jar.
pub struct Client {
    pub addr: SocketAddr,
    pub cookies: BTreeMap<String, String>,
}

impl Client {
    pub fn new(addr: SocketAddr) -> Client {
        Client {
            addr,
            cookies: BTreeMap::new(),
        }
    }

    /// The same cookies, sent to another server.
    pub fn with_addr(&self, addr: SocketAddr) -> Client {
        Client {
            addr,
            cookies: self.cookies.clone(),
        }
    }

    pub fn get(&mut self, path: &str) -> Response {
        self.request("GET", path, None)
    }

    pub fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body = fields
            .iter()
            .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
            .collect::<Vec<_>>()
            .join("&");
        self.request(
            "POST",
            path,
            Some((
                "application/x-www-form-urlencoded".to_owned(),
                body.into_bytes(),
            )),
        )
    }

    /// Posts a multipart form with one file, as a browser's upload form does.
    pub fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        file: &[u8],
    ) -> Response {
        let boundary = "lokus-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.request(
            "POST",
            path,
            Some((format!("multipart/form-data; boundary={boundary}"), body)),
        )
    }

    /// Uploads a workbook through the import page, with the page's CSRF token.
    pub fn upload(&mut self, fields: &[(&str, &str)], file_name: &str, file: &[u8]) -> Response {
        let token = self.get("/impor").csrf_token();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_multipart("/impor", &all, file_name, file)
    }

    /// Posts a form the way the page would: with the CSRF token found on `page_path`.
    pub fn submit(&mut self, page_path: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.get(page_path).csrf_token();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all)
    }

    pub fn login(&mut self, email: &str, password: &str) -> Response {
        self.submit(
            "/masuk",
            "/masuk",
            &[("email", email), ("password", password)],
        )
    }

    pub fn request(
        &mut self,
        method: &str,
        path: &str,
        body: Option<(String, Vec<u8>)>,
    ) -> Response {
        self.request_with(method, path, &[], body)
    }

    /// A request with extra header lines (a `Referer`, say).
    pub fn request_with(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(String, Vec<u8>)>,
    ) -> Response {
        let mut stream = TcpStream::connect(self.addr).expect("connect to lokus");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("set timeout");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            head.push_str(&format!("Cookie: {}\r\n", jar.join("; ")));
        }
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        let (content_type, body) = body.unwrap_or_default();
        if method == "POST" {
            head.push_str(&format!("Content-Type: {content_type}\r\n"));
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        stream
            .write_all(head.as_bytes())
            .expect("send request head");
        stream.write_all(&body).expect("send request body");
        let raw = read_response(&mut stream);
        let response = parse(&raw);
        for (name, value) in &response.headers {
            if name.eq_ignore_ascii_case("set-cookie") {
                self.store_cookie(value);
            }
        }
        response
    }

    fn store_cookie(&mut self, header: &str) {
        let pair = header.split(';').next().unwrap_or("");
        let Some((name, value)) = pair.split_once('=') else {
            return;
        };
        let removed = value.is_empty() || header.to_ascii_lowercase().contains("max-age=0");
        if removed {
            self.cookies.remove(name.trim());
        } else {
            self.cookies
                .insert(name.trim().to_owned(), value.trim().to_owned());
        }
    }
}

/// Reads to the end of the response: to its `Content-Length` when it has one (chromedriver keeps
/// the connection open despite `Connection: close`), else until the server closes.
fn read_response(stream: &mut TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    loop {
        let read = stream.read(&mut chunk).expect("read response");
        if read == 0 {
            return raw;
        }
        raw.extend_from_slice(&chunk[..read]);
        let Some(split) = raw.windows(4).position(|window| window == b"\r\n\r\n") else {
            continue;
        };
        let length = String::from_utf8_lossy(&raw[..split])
            .split("\r\n")
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, value)| value.trim().parse::<usize>().ok());
        if length.is_some_and(|length| raw.len() >= split + 4 + length) {
            return raw;
        }
    }
}

fn parse(raw: &[u8]) -> Response {
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("end of response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("status code");
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("transfer-encoding") && value.contains("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|window| window == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 || data.len() < end + 2 + size {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = data.get(end + 4 + size..).unwrap_or_default();
    }
    out
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

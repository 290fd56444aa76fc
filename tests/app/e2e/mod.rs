//! End-to-end journeys in a real browser (Chromium through chromedriver) against a lokus server on
//! its own database: what a person sees, clicks and downloads. Without the browser they are skipped
//! with a loud message on stderr; on failure each leaves a screenshot and the page's HTML under
//! `target/e2e/<test>/`. Every capability adds its journey here.

mod support;

mod finance_officer;
mod job_progress;
mod language;
mod layout;
mod logout_back;
mod phone;
mod realisation_officer;
mod sponsor;
mod summary;

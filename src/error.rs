//! One error type for the web and service layers, and the one place it becomes an HTTP response.
//! Database errors are mapped here and nowhere else; causes are logged once, never shown to users.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::i18n::{Language, Message, MessageKey};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("not logged in")]
    Unauthenticated,
    #[error("CSRF token missing or wrong")]
    Csrf,
    #[error("database: {0}")]
    Database(#[from] DieselError),
    #[error("database pool: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("{0}")]
    Internal(String),
    /// A request refused with a message for the person (`status` says how): a service's refusal,
    /// or a request lokus cannot serve as sent. The message is rendered in the reader's language.
    #[error("{1}")]
    Service(StatusCode, Message),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn internal(error: impl std::fmt::Display) -> AppError {
        AppError::Internal(error.to_string())
    }

    /// True when the database refused a row because a unique key already holds it.
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            AppError::Database(DieselError::DatabaseError(
                DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    lang: &'a str,
    status: u16,
    title: &'a str,
    message: &'a str,
    back: Option<&'a str>,
    back_label: &'a str,
    home_label: &'a str,
}

impl AppError {
    /// A request lokus cannot serve as sent, with a catalogue message for the person.
    pub fn bad_request(key: MessageKey) -> AppError {
        AppError::Service(StatusCode::BAD_REQUEST, Message::new(key))
    }

    /// The sentence this error shows under its title, in `language`.
    fn explain(&self, status: StatusCode, language: Language) -> String {
        match self {
            AppError::Service(_, message) => message.render(language),
            AppError::Csrf => MessageKey::ErrorCsrf.text(language).to_owned(),
            error if error.is_unique_violation() => {
                MessageKey::ErrorDuplicate.text(language).to_owned()
            }
            _ => status_message(status).text(language).to_owned(),
        }
    }
}

fn status_title(status: StatusCode) -> MessageKey {
    match status {
        StatusCode::BAD_REQUEST => MessageKey::ErrorBadRequestTitle,
        StatusCode::FORBIDDEN => MessageKey::ErrorForbiddenTitle,
        StatusCode::NOT_FOUND => MessageKey::ErrorNotFoundTitle,
        StatusCode::CONFLICT => MessageKey::ErrorConflictTitle,
        StatusCode::PAYLOAD_TOO_LARGE => MessageKey::ErrorTooLargeTitle,
        StatusCode::UNPROCESSABLE_ENTITY => MessageKey::ErrorUnprocessableTitle,
        StatusCode::TOO_MANY_REQUESTS => MessageKey::ErrorThrottledTitle,
        StatusCode::SERVICE_UNAVAILABLE => MessageKey::ErrorUnavailableTitle,
        status if status.is_client_error() => MessageKey::ErrorBadRequestTitle,
        _ => MessageKey::ErrorInternalTitle,
    }
}

fn status_message(status: StatusCode) -> MessageKey {
    match status {
        StatusCode::BAD_REQUEST => MessageKey::ErrorBadRequest,
        StatusCode::FORBIDDEN => MessageKey::ErrorForbidden,
        StatusCode::NOT_FOUND => MessageKey::ErrorPageNotFound,
        StatusCode::CONFLICT => MessageKey::ErrorConflict,
        StatusCode::PAYLOAD_TOO_LARGE => MessageKey::ErrorTooLarge,
        StatusCode::UNPROCESSABLE_ENTITY => MessageKey::ErrorUnprocessable,
        StatusCode::TOO_MANY_REQUESTS => MessageKey::ErrorThrottled,
        StatusCode::SERVICE_UNAVAILABLE => MessageKey::ErrorUnavailable,
        status if status.is_client_error() => MessageKey::ErrorBadRequest,
        _ => MessageKey::ErrorInternal,
    }
}

/// lokus's own error page: the status in words, what happened, and a way back (`back`, a same-site
/// path, when the request came from a page of lokus; always the home page). `error` is `None` for
/// an answer actix gave itself (an unknown method, a body it refused before any handler ran).
pub fn error_page(
    status: StatusCode,
    error: Option<&AppError>,
    language: Language,
    back: Option<&str>,
) -> HttpResponse {
    let message = match error {
        Some(error) => error.explain(status, language),
        None => status_message(status).text(language).to_owned(),
    };
    let title = status_title(status).text(language);
    let page = ErrorPage {
        lang: language.code(),
        status: status.as_u16(),
        title,
        message: &message,
        back,
        back_label: MessageKey::ErrorPageBack.text(language),
        home_label: MessageKey::ErrorPageHome.text(language),
    };
    let html = page
        .render()
        .unwrap_or_else(|_| format!("{} {title}", status.as_u16()));
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html)
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::Database(DieselError::NotFound) => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Unauthenticated => StatusCode::SEE_OTHER,
            error if error.is_unique_violation() => StatusCode::CONFLICT,
            AppError::Pool(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Service(status, _) => *status,
            AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The page in Indonesian: `ResponseError` has no request. The server's error-page middleware
    /// renders it again in the reader's language, from the error kept with the response.
    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status == StatusCode::SEE_OTHER {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/masuk"))
                .finish();
        }
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        error_page(status, Some(self), Language::default(), None)
    }
}

/// The one mapping of a service's refusal to an HTTP answer.
impl From<crate::services::error::ServiceError> for AppError {
    fn from(error: crate::services::error::ServiceError) -> AppError {
        use crate::services::error::ServiceError;
        match error {
            ServiceError::Invalid(message) => AppError::Service(StatusCode::BAD_REQUEST, message),
            ServiceError::Unreadable(message) => {
                AppError::Service(StatusCode::UNPROCESSABLE_ENTITY, message)
            }
            ServiceError::Conflict(message) => AppError::Service(StatusCode::CONFLICT, message),
            ServiceError::NotFound => AppError::NotFound,
            ServiceError::Database(error) => AppError::Database(error),
            ServiceError::Internal(error) => AppError::Internal(error),
        }
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(error: actix_web::error::BlockingError) -> AppError {
        AppError::internal(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;

    fn body_of(response: HttpResponse) -> String {
        let bytes = response.into_body().try_into_bytes().unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[test]
    fn a_server_failure_says_so_in_the_readers_language_and_never_shows_its_cause() {
        let error = AppError::internal("connection refused at 10.0.0.7");
        let page = body_of(error_page(
            error.status_code(),
            Some(&error),
            Language::En,
            None,
        ));
        assert!(page.contains("Something went wrong"), "{page}");
        assert!(page.contains("href=\"/\""), "{page}");
        assert!(!page.contains("10.0.0.7"), "{page}");
    }

    #[test]
    fn a_duplicate_and_a_service_conflict_answer_409_with_their_own_words() {
        let duplicate = AppError::Database(DieselError::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            Box::new(String::from("users_email_unique")),
        ));
        assert_eq!(duplicate.status_code(), StatusCode::CONFLICT);
        let page = body_of(error_page(
            StatusCode::CONFLICT,
            Some(&duplicate),
            Language::En,
            None,
        ));
        assert!(page.contains("already exists"), "{page}");
        assert!(!page.contains("users_email_unique"), "{page}");

        let locked: AppError =
            crate::services::error::ServiceError::Conflict(Message::new(MessageKey::ErrorConflict))
                .into();
        assert_eq!(locked.status_code(), StatusCode::CONFLICT);
        let page = body_of(error_page(
            StatusCode::CONFLICT,
            Some(&locked),
            Language::Id,
            Some("/anggaran"),
        ));
        assert!(page.contains("Muat ulang halaman"), "{page}");
        assert!(page.contains("href=\"/anggaran\""), "{page}");
    }
}

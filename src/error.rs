//! One error type for the web and service layers, and the one place it becomes an HTTP response.
//! Database errors are mapped here and nowhere else; causes are logged once, never shown to users.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

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
    /// A request that cannot be served as sent; the message is shown to the user as it is.
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    /// An upload above the configured size; the message says the limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("database: {0}")]
    Database(#[from] DieselError),
    #[error("database pool: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("{0}")]
    Internal(String),
    /// A service refused the request with a message for the user (`status` says how).
    #[error("{1}")]
    Service(StatusCode, crate::i18n::Message),
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
    status: u16,
    judul: &'a str,
    title: &'a str,
    pesan: &'a str,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::Database(DieselError::NotFound) => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Unauthenticated => StatusCode::SEE_OTHER,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            error if error.is_unique_violation() => StatusCode::CONFLICT,
            AppError::Pool(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Service(status, _) => *status,
            AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status == StatusCode::SEE_OTHER {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/masuk"))
                .finish();
        }
        let (judul, title, pesan) = match status {
            StatusCode::NOT_FOUND => (
                "Tidak ditemukan",
                "Not found",
                "Halaman atau data yang Anda cari tidak ada, atau bukan bagian Anda.",
            ),
            StatusCode::FORBIDDEN if matches!(self, AppError::Csrf) => (
                "Formulir kedaluwarsa",
                "Form expired",
                "Formulir ini tidak dapat diterima (token keamanan tidak cocok). Muat ulang halaman lalu kirim lagi.",
            ),
            StatusCode::FORBIDDEN => (
                "Akses ditolak",
                "Forbidden",
                "Peran Anda tidak mengizinkan halaman ini.",
            ),
            StatusCode::BAD_REQUEST => ("Permintaan tidak valid", "Bad request", ""),
            StatusCode::CONFLICT => ("Data sudah ada", "Conflict", ""),
            StatusCode::PAYLOAD_TOO_LARGE => ("Berkas terlalu besar", "File too large", ""),
            StatusCode::SERVICE_UNAVAILABLE => (
                "Layanan sibuk",
                "Service unavailable",
                "Basis data tidak menjawab. Coba lagi sebentar lagi.",
            ),
            _ => (
                "Terjadi kesalahan",
                "Internal error",
                "Terjadi kesalahan di server. Kejadian ini sudah dicatat.",
            ),
        };
        let pesan = match self {
            AppError::BadRequest(message)
            | AppError::Conflict(message)
            | AppError::PayloadTooLarge(message) => message.as_str(),
            error if error.is_unique_violation() => "Data dengan kode atau nama itu sudah ada.",
            _ => pesan,
        };
        let service_message;
        let pesan = match self {
            AppError::Service(_, message) => {
                service_message = message.render_default();
                service_message.as_str()
            }
            _ => pesan,
        };
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let page = ErrorPage {
            status: status.as_u16(),
            judul,
            title,
            pesan,
        };
        let own_message = page
            .render()
            .unwrap_or_else(|_| format!("{} {}", status.as_u16(), title));
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(own_message)
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

impl From<crate::services::setup::SetupError> for AppError {
    fn from(error: crate::services::setup::SetupError) -> AppError {
        use crate::services::setup::SetupError;
        match error {
            SetupError::Invalid(message) => AppError::BadRequest(message),
            SetupError::NotFound => AppError::NotFound,
            SetupError::Database(error) => AppError::Database(error),
            SetupError::Auth(error) => AppError::internal(error),
        }
    }
}

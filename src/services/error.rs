//! The one error every service returns. `crate::error` maps it to an HTTP answer and the CLI to an
//! exit code; nothing else matches on it. What a person reads is a catalogue [`Message`].

use crate::i18n::{Message, MessageKey};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input is wrong; the message says how, for the person who typed it. Nothing changed.
    #[error("{0}")]
    Invalid(Message),
    /// An uploaded file cannot be read at all (not a workbook, corrupt, no header row).
    #[error("{0}")]
    Unreadable(Message),
    /// The record does not exist, or is outside the caller's scope: the two look the same on purpose.
    #[error("not found")]
    NotFound,
    /// The change clashes with the current state (a locked year or period, an import that landed
    /// in between, a code already taken).
    #[error("{0}")]
    Conflict(Message),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    /// A failure of lokus itself or of its machine (hashing, I/O); logged, never shown as it is.
    #[error("{0}")]
    Internal(String),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    pub fn invalid(key: MessageKey) -> ServiceError {
        ServiceError::Invalid(Message::new(key))
    }

    pub fn internal(error: impl std::fmt::Display) -> ServiceError {
        ServiceError::Internal(error.to_string())
    }

    /// The message a form shows again beside its fields, when the error is one the user can fix.
    pub fn user_message(&self) -> Option<&Message> {
        match self {
            ServiceError::Invalid(message)
            | ServiceError::Unreadable(message)
            | ServiceError::Conflict(message) => Some(message),
            _ => None,
        }
    }
}

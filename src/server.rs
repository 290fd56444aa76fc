//! The application: middleware and the one app builder used by `lokus serve` and by
//! the tests alike.

use std::net::TcpListener;

use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::{Server, Service, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::error::UrlencodedError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::{Compress, DefaultHeaders, ErrorHandlerResponse, ErrorHandlers};
use actix_web::{App, HttpServer, web};

use crate::error::{AppError, error_page};
use crate::i18n::MessageKey;
use crate::state::AppState;
use crate::web::extract::{language_of, referring_path};

pub fn build_app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let form_limit = 256 * 1024;
    App::new()
        .app_data(web::Data::new(state))
        // a parameter actix cannot parse is lokus's own 400 page, not actix's English sentence
        .app_data(
            web::PathConfig::default()
                .error_handler(|_, _| AppError::bad_request(MessageKey::ErrorBadAddress).into()),
        )
        .app_data(
            web::QueryConfig::default()
                .error_handler(|_, _| AppError::bad_request(MessageKey::ErrorBadQuery).into()),
        )
        .app_data(web::FormConfig::default().limit(form_limit).error_handler(
            |error, _| match error {
                UrlencodedError::Overflow { .. } => AppError::Service(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    MessageKey::ErrorTooLarge.into(),
                )
                .into(),
                _ => AppError::bad_request(MessageKey::ErrorBadForm).into(),
            },
        ))
        .app_data(web::PayloadConfig::default().limit(form_limit))
        .configure(crate::web::configure)
        .wrap(ErrorHandlers::new().default_handler(error_page_in_reader_language))
        .wrap_fn(|req, service| {
            let response = service.call(req);
            async move {
                let mut response = response.await?;
                no_store_unless_cacheable(response.headers_mut());
                Ok(response)
            }
        })
        .wrap(Compress::default())
        .wrap(
            DefaultHeaders::new()
                .add(("X-Content-Type-Options", "nosniff"))
                .add(("X-Frame-Options", "DENY"))
                .add(("Referrer-Policy", "same-origin"))
                .add((
                    "Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
                )),
        )
        .wrap(tracing_actix_web::TracingLogger::default())
}

/// Every answer is `no-store` unless it chose its own caching (the stylesheet, the icon): pages and
/// downloads behind the login must not come back from the browser's cache after logout (Back).
fn no_store_unless_cacheable(headers: &mut HeaderMap) {
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// Gives every 4xx/5xx answer lokus's own page in the reader's language: an `AppError` again from
/// the error kept with the response (`ResponseError` has no request, so it rendered Indonesian),
/// and an answer actix made itself (an unknown method, a refused body) from its status. A page a
/// handler rendered on purpose with an error status (the login form's 401, a form's 422) has a
/// body and no error, and is left as it is.
fn error_page_in_reader_language<B: MessageBody + 'static>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let own_error = response.response().error().is_some();
    let empty = matches!(
        response.response().body().size(),
        BodySize::None | BodySize::Sized(0)
    );
    if !own_error && !empty {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let (req, mut res) = response.into_parts();
    let app_error = res.error().and_then(|error| error.as_error::<AppError>());
    let page = error_page(
        res.status(),
        app_error,
        language_of(&req),
        referring_path(&req).as_deref(),
    );
    let (_, body) = page.into_parts();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    let res = ServiceResponse::new(req, res.set_body(body))
        .map_into_boxed_body()
        .map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}

/// Starts the HTTP server on an already bound listener (tests bind port 0).
pub fn run(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let workers = state.settings.workers;
    let mut server = HttpServer::new(move || build_app(state.clone())).listen(listener)?;
    if let Some(workers) = workers {
        server = server.workers(workers);
    }
    Ok(server.run())
}

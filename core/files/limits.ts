/**
 * The largest file `POST /api/files` keeps: 2 MiB, the same as any other API request body
 * (core/http-app.ts). The upload route alone may receive a little more, for the multipart framing
 * around the file, so that a file of exactly 2 MiB is accepted and a larger one is refused by the
 * file's own check, whose detail points at `/file`, rather than by the body's. A MariaDB row holding it stays far below
 * the 16 MiB default max_allowed_packet of MariaDB 10.11.
 */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Room for the multipart boundary and part headers around the file. */
export const MAX_UPLOAD_BODY = MAX_FILE_BYTES + 64 * 1024;

/** Uploads that no record took within this time may be deleted (at the next upload). */
export const UNATTACHED_TTL_MS = 24 * 60 * 60 * 1000;

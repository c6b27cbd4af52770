/**
 * Every code the server answers with, defined once. Clients, tests and the UI match on these
 * codes, never on messages, so a code is a promise: the throwing helpers of core/errors.ts accept
 * only the codes listed here (a misspelt one does not compile), docs/ERRORS.md is this catalogue
 * as a table (test/api/error-codes.test.ts keeps them equal), and the OpenAPI document enumerates
 * them. One style: snake_case. A plugin's own refusals carry the plugin's codes, not these.
 */

/** The statuses an error answer may have. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 503;

interface ErrorEntry {
  readonly status: readonly ErrorStatus[];
  readonly meaning: string;
}

/** `error.code`: what went wrong with the request as a whole, with the status(es) it comes with. */
export const ERROR_CODES = {
  invalid: { status: [400], meaning: 'Some fields are invalid, one detail each; nothing was written. Correct them and send again.' },
  invalid_json: { status: [400], meaning: 'The body is not valid JSON. Send a JSON document.' },
  invalid_query: { status: [400], meaning: 'A query parameter (fields, sort, limit, cursor, q, …) is malformed. Correct it as the message says.' },
  invalid_filter: { status: [400], meaning: 'The filter is not valid JSON or names an unknown field or operator. Correct it.' },
  invalid_aggregate: { status: [400], meaning: 'groupBy or metrics name an unknown field or function. Correct them.' },
  invalid_form: { status: [400], meaning: 'The multipart form cannot be read, or has no file in its file part. Send one file.' },
  invalid_header: { status: [400], meaning: 'The Idempotency-Key header is not 1 to 255 printable ASCII characters. Send e.g. a UUID.' },
  invalid_version: { status: [400], meaning: 'If-Match is not a record version. Send the version the record was read with.' },
  invalid_reference: { status: [400], meaning: 'A reference names a record that does not exist; nothing was written. Pick an existing one.' },
  invalid_definition: { status: [400], meaning: 'A module definition has problems, one detail each with a hint; nothing was created or changed.' },
  invalid_snapshot: { status: [400], meaning: 'A schema snapshot is malformed, one detail each; nothing was changed. Export it again.' },
  unknown_parameter: { status: [400], meaning: 'A query parameter the route does not know; the detail names it. Leave it out or correct its spelling.' },
  unknown_field: { status: [400], meaning: 'A body field the route does not know; the detail names it. Leave it out or correct its spelling.' },
  soft_delete_off: { status: [400], meaning: 'deleted=, purge= or a restore on a module without x-soft-delete, whose deleted records are gone. Turn soft delete on to keep them.' },
  change_unsupported: { status: [400], meaning: 'A change of definitions cannot be applied as it is; the details say why and what to do instead.' },
  client_closed: { status: [400], meaning: 'The connection closed before the request was read; nothing was done.' },
  invalid_credentials: { status: [401], meaning: 'Wrong username or password.' },
  unauthenticated: { status: [401], meaning: 'Not logged in. Log in, or send Authorization: Bearer <token>.' },
  forbidden: { status: [403], meaning: 'Logged in, but not allowed: `permission` names what is missing.' },
  cross_origin: { status: [403], meaning: 'An upload was posted from another site. Send it from this server\'s own pages.' },
  not_found: { status: [404], meaning: 'No such module, record, route or file (or it is outside what you may see).' },
  duplicate: { status: [409], meaning: 'A record with these unique values exists; `existing` names it. Change the values or edit that record.' },
  stale: { status: [409], meaning: 'The record changed since you read it; nothing was written. Read it again and reapply your change.' },
  referenced: { status: [409], meaning: 'Other records refer to this one, so it cannot be deleted. Remove or repoint them first.' },
  conflict: { status: [409], meaning: 'A referenced record changed while this one was written; nothing was written. Send it again.' },
  module_exists: { status: [409], meaning: 'A module of that name exists already. Change it with PUT, or pick another name.' },
  module_missing: { status: [409], meaning: 'The module a change or a restore needs is gone. Restore it from the trash first.' },
  module_referenced: { status: [409], meaning: 'Other modules refer to this one, so it cannot be removed. Remove those references first.' },
  field_exists: { status: [409], meaning: 'The module has a field of that name again. Rename it first, then restore.' },
  misfits: { status: [409], meaning: 'Stored values do not fit the new definition; the plan lists examples. Fix them, or say what to do with them (onMisfit).' },
  confirmation_required: { status: [409], meaning: 'The change loses data. Send it again with the plan\'s token as "confirm" if that is meant.' },
  stale_definition: { status: [409], meaning: 'The definition changed since the plan was made; nothing was changed. Plan again.' },
  last_admin: { status: [409], meaning: 'The write would leave no admin role or no active admin; nothing was changed.' },
  restore_first: { status: [409], meaning: 'Undoing the change needs a removed field back first. Restore it from the trash, then revert.' },
  restore_refused: { status: [409], meaning: 'The removed field cannot come back as it was; the details say why.' },
  not_deleted: { status: [409], meaning: 'The record is not deleted, so there is nothing to restore.' },
  not_installed: { status: [409], meaning: 'The plugin is not installed in this database yet. Start a server with its code first.' },
  ddl_failed: { status: [409], meaning: 'The database refused the table change; nothing was changed. The message says what it said.' },
  idempotency_key_in_use: { status: [409], meaning: 'A request with this Idempotency-Key is still being served. Wait for it, then send again.' },
  too_large: { status: [413], meaning: 'The request body (detail path "") or the uploaded file (detail path "/file") is over its size limit; nothing was kept.' },
  unsupported_media_type: { status: [415], meaning: 'The body has the wrong Content-Type: JSON routes take application/json, uploads multipart/form-data.' },
  idempotency_key_reused: { status: [422], meaning: 'The Idempotency-Key was used for another request; nothing was done. Use a new key per request.' },
  too_many_attempts: { status: [429], meaning: 'Too many failed attempts; wait the Retry-After seconds before trying again.' },
  internal: { status: [500], meaning: 'Something went wrong on the server; nothing was acknowledged. Try again, and report it if it persists.' },
  ui_build_failed: { status: [500], meaning: 'The admin UI could not be built; the message says why. A fault of the installation.' },
  busy: { status: [503], meaning: 'Other changes held the records this request needed; nothing was written. Send it again after Retry-After.' },
  definition_changed: { status: [503], meaning: 'The module\'s definition changed while the request was served; nothing was written. Send it again.' },
  unavailable: { status: [503], meaning: 'The service a plugin route acts as is not set up (its account is missing or inactive).' },
  answered_again: { status: [503], meaning: 'Internal: the request is served again after a full authentication; a client never sees it.' },
} as const satisfies Record<string, ErrorEntry>;

/**
 * The one code the engine composes: a route of a disabled plugin answers 404 `<plugin>_off`
 * (e.g. `audit_off`), so that a client tells which plugin to enable.
 */
export const PLUGIN_OFF = { code: '<plugin>_off', status: [404], meaning: 'The plugin that answers this route is disabled. An admin enables it with POST /api/plugins/<plugin>/enable.' } as const;

/** `error.details[].code`: what is wrong at one JSON pointer of a request, a definition or a plan. */
export const DETAIL_CODES = {
  // A record's fields.
  required: 'The field is required (and a form\'s file part must hold a file).',
  type: 'The value has the wrong JSON type.',
  enum: 'The value is not one of the field\'s choices.',
  format: 'The value is not a valid date, date-time, e-mail, URL, … as the field\'s format says.',
  pattern: 'The text does not match the field\'s pattern.',
  ref: 'A reference is not a record id (an integer of at least 1).',
  file: 'A file field does not hold a file handle as POST /api/files answers it.',
  too_long: 'The text is longer than the field\'s maxLength.',
  too_short: 'The text is shorter than the field\'s minLength (or empty where it must not be).',
  below_minimum: 'The number is below the field\'s minimum.',
  above_maximum: 'The number is above the field\'s maximum.',
  too_few_items: 'The list has fewer items than minItems.',
  too_many_items: 'The list has more items than maxItems.',
  duplicate: 'The value repeats: another record holds it in a unique field, or a list holds it twice.',
  read_only: 'The field is set by the server (id, version, timestamps, …); leave it out.',
  unknown_field: 'The field, or the renamed or referenced field, does not exist.',
  invalid: 'The value breaks another rule of the field\'s schema; the message says which.',
  field_forbidden: 'You may not write this field.',
  invalid_reference: 'The referenced record does not exist.',
  file_unknown: 'The file handle names no file you uploaded, or one no longer kept. Upload it again.',
  too_large: 'The uploaded file is over its size limit.',
  invalid_form: 'The multipart body is not a valid form.',
  invalid_header: 'The header named by the message is malformed.',
  unknown_module: 'The named module does not exist.',
  // Findings of a module definition check (where the pointer leads, the hint says what to do).
  name_invalid: '$id, a property name, an x-i18n language tag or an x-scope-paths module name has the wrong form.',
  name_clash: 'The $id is installed already or defined twice, or a name would take that of another module, field or junction table.',
  name_too_long: 'A junction table\'s name would be longer than 64 characters.',
  name_reserved: 'A property uses a system field name or a filter word (or deletedAt/deletedBy with x-soft-delete).',
  definition_invalid: 'A module-level keyword has the wrong value.',
  definition_missing_keyword: '$id, type or properties is missing.',
  definition_unknown_keyword: 'A keyword Stratum does not know and that does not start with x-.',
  property_invalid: 'A property keyword has the wrong value.',
  property_misplaced_keyword: 'A keyword of another kind of property, or x-on-delete/x-scope without x-ref.',
  property_bad_type: 'A property has no type or an unknown one, or an x-type no plugin registers.',
  ref_unknown: 'x-ref names a module that does not exist.',
  ref_set_null_required: 'x-on-delete "set-null" on a required reference, which cannot be set to null.',
  inverse_unknown: 'x-inverse names a missing module or field.',
  inverse_not_a_ref: 'The field x-inverse names is not a reference back to this module.',
  required_unknown: 'required lists a name that is not a property, or a one-to-many relation.',
  pattern_invalid: 'A pattern is not a valid Unicode regular expression.',
  scale_invalid: 'x-scale is larger than x-precision.',
  search_index_not_text: 'x-search-index "trigram" is on a field that is not free text.',
  list_unknown: 'An x-list entry is not a field or a valid reference path.',
  list_unsortable: 'x-list sorts by a field that cannot be sorted (a relation, JSON, a file, a password, long text).',
  list_unsearchable: 'x-list.search names a field that is not text.',
  scope_path_invalid: 'An x-scope-paths entry names a missing module, or a path that does not end at a reference to it.',
  owner_invalid: 'x-owner does not name a reference to user (or createdBy).',
  default_invalid: 'A default is not a valid value of its own property.',
  unique_unknown: 'An x-unique set names a missing property or a relation.',
  index_unknown: 'An x-index set names a missing property or a relation.',
  file_unparsable: 'A *.json file under METADATA_DIR is not valid JSON.',
  enum_title_unknown_value: 'x-enum-titles or x-i18n.<lang>.enums titles a value the property does not have.',
  enum_title_not_enum: 'Enum titles on a property that has no enum.',
  // A change of definitions: a plan's blockers, x-migration and schema snapshots.
  invalid_definition: 'The definition\'s $id is not the module\'s name.',
  invalid_migration: 'x-migration is malformed at this pointer; the hint shows its shape.',
  module_exists: 'A module of the new name exists already.',
  field_exists: 'A field of the new name exists already.',
  builtin_module: 'A built-in module keeps its name.',
  change_unsupported: 'This kind of change cannot be made; the hint says what to do instead.',
  conversion_unsupported: 'The field cannot be converted between these types; add a new field instead.',
  module_referenced: 'Other modules refer to this one.',
  misfits: 'Stored values do not fit the change; the plan\'s misfits list examples.',
  confirmation_required: 'The change loses data and needs the plan\'s token as "confirm".',
  restore_first: 'A removed field must be restored before the change can be undone.',
  stale_definition: 'The module\'s definition changed since the snapshot was diffed.',
  invalid_snapshot: 'The snapshot is malformed at this pointer.',
  unsupported_snapshot: 'The snapshot has a version this server does not read.',
} as const;

/**
 * `plans[].steps[].misfits.examples[].code`: why a stored value does not fit a changed field,
 * for wording it in another language (with `params`).
 */
export const MISFIT_CODES = {
  not_a_number: 'The text is not a number.',
  not_whole: 'The number is not a whole number.',
  out_of_range: 'The number is outside the range of a whole number.',
  not_yes_no: 'The value is neither yes nor no.',
  not_a_date: 'The text is not a date (YYYY-MM-DD).',
  not_a_datetime: 'The text is not a date and time.',
  required: 'The value is empty and the field is now required.',
  no_record: 'No record of the referenced module has this id (params: module, id).',
  decimals: 'The number has more decimals than the field keeps (params: scale).',
  digits: 'The number has more digits before the decimal point than the field keeps (params: digits).',
  duplicate: 'Records share this value of a field that is now unique (params: count).',
  no_default: 'A new required field has no value and no default (params: field).',
  invalid: 'The value cannot be converted, or breaks the new field\'s schema.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export type DetailCode = keyof typeof DETAIL_CODES;
export type MisfitCode = keyof typeof MISFIT_CODES;
/** The statuses a code may be answered with: `StatusOf<'stale'>` is 409. */
export type StatusOf<C extends ErrorCode> = (typeof ERROR_CODES)[C]['status'][number];

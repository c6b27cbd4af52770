/** The typed client of the Stratum API (README "Typed client"). Imports nothing Node-only: the UI uses it too. */
export { createClient, type StratumClient } from './create-client.js';
export { StratumError, type ErrorDetail } from './stratum-error.js';
export type { ClientOptions, RequestOptions } from './transport.js';
export type { ModuleClient, ListOptions, ListMeta, Page, AggregateOptions, AggregateRow, GroupExpr, MetricExpr, UpdateOptions } from './module-client.js';
export type { AuthClient, Me, ApiToken } from './auth-client.js';
export type { Filter, FieldCondition, Operand, Variable } from './filter-types.js';
export type { CreateInput, Patch, SystemField, FieldPath, SortKey, Selected, Embedded } from './record-types.js';

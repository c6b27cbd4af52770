/**
 * The filter language of API.md "Records", twice: as prose for the `filter` parameter and as a
 * JSON Schema of the filter object. Operator and quantifier names come from the parser's own
 * lists, so that a new operator cannot be missing here.
 */
import { COMPARE_OPS, QUANTIFIERS, type CompareOp } from '../../query/ast.js';
import type { JsonSchema } from '../../schema/module.js';
import { ref } from './refs.js';

const NAME = '[a-zA-Z][a-zA-Z0-9_]{0,62}';
/** A field, or a path of up to 8 steps through references (parse-filter.ts MAX_PATH). */
const PATH = `^${NAME}(\\.${NAME}){0,7}$`;
/** `$now`, `$today`, `$now-30d`, `$today+1w`, `$user.<name>` (core/query/variables.ts). */
export const VARIABLE = `^\\$(now|today)([+-][0-9]{1,6}[mhdwMy])?$|^\\$user\\.${NAME}$`;

export const FILTER_DESCRIPTION = `URL-encoded JSON. Keys are fields or paths through references
(\`customer.region.name\`, up to 8 steps); several keys are AND-ed.

| form | meaning |
|---|---|
| \`{"grade":"gold"}\`, \`{"owner":null}\` | equality; is null |
| \`{"grade":["gold","silver"]}\` | in the list |
| \`{"amount":{"gt":100000}}\` | an operator: ${COMPARE_OPS.map((o) => `\`${o}\``).join(' ')} |
| \`{"since":{"between":["2024-01-01","2024-12-31"]}}\` | inclusive range |
| \`{"and":[…]}\`, \`{"or":[…]}\`, \`{"not":{…}}\` | logic: \`and\`, \`or\`, \`not\` |
| \`{"followups":{"none":{"date":{"gt":"$now-30d"}}}}\` | a to-many relation (one-to-many or many-to-many) takes ${QUANTIFIERS.map((q) => `\`${q}\``).join(', ')}; \`every\` holds for a record with no related records |

Values may be variables: \`$now\`, \`$today\`, \`$now-30d\`, \`$today+1w\` (units \`m h d w M y\`),
\`$user.id\`, \`$user.username\`, \`$user.department\`, \`$user.departmentCode\`, \`$user.roles\`.
\`not\` and \`ne\` also match records where the field is null. \`contains\`, \`startsWith\` and
\`endsWith\` apply to text fields; a JSON field takes only \`isNull\`. Only fields you may read can
be filtered on, and a path through a record you may not see finds nothing there. At most 500
parts, nested at most 24 deep. The JSON Schema of a filter is \`#/components/schemas/Filter\`.`;

const scalar: JsonSchema = { type: ['string', 'number', 'boolean'] };
const list = (minItems: number, maxItems: number): JsonSchema => ({ type: 'array', items: scalar, minItems, maxItems });
const text: JsonSchema = { type: 'string' };

/** Typed by CompareOp: an operator added to the parser does not compile until it is described here. */
const OPERATORS: Record<CompareOp, JsonSchema> = {
  eq: ref('FilterValue'),
  ne: ref('FilterValue'),
  gt: scalar,
  gte: scalar,
  lt: scalar,
  lte: scalar,
  in: list(0, 1000),
  nin: list(0, 1000),
  between: list(2, 2),
  contains: text,
  startsWith: text,
  endsWith: text,
  isNull: { type: 'boolean' },
};

/** Components: `Filter` and the parts it is made of. */
export function filterSchemas(): Record<string, JsonSchema> {
  return {
    Filter: {
      title: 'Filter',
      description: FILTER_DESCRIPTION,
      type: 'object',
      propertyNames: { pattern: PATH },
      properties: {
        and: { type: 'array', items: ref('Filter') },
        or: { type: 'array', items: ref('Filter') },
        not: ref('Filter'),
      },
      additionalProperties: ref('FilterCondition'),
      examples: [
        { grade: 'gold' },
        { amount: { gt: 100000 }, 'salesman.department.code': { startsWith: '0010' } },
        { or: [{ status: 'open' }, { not: { paidAt: { isNull: true } } }] },
        { followups: { none: { date: { gt: '$now-30d' } } } },
      ],
    },
    FilterCondition: {
      description: 'What one field or path must satisfy: a value (equality), a list (in), operators, or, on a to-many relation, a quantifier.',
      anyOf: [ref('FilterValue'), list(0, 1000), ref('FilterOperators'), ref('FilterQuantifiers')],
    },
    FilterValue: {
      description: 'A value of the field, null, or a variable such as `$now-30d` or `$user.id`.',
      anyOf: [{ type: 'string', pattern: VARIABLE, title: 'variable' }, scalar, { type: 'null' }],
    },
    FilterOperators: {
      type: 'object',
      minProperties: 1,
      properties: OPERATORS,
      additionalProperties: false,
    },
    FilterQuantifiers: {
      description: 'On a to-many relation: whether some, none or every related record (that you may see) matches.',
      type: 'object',
      minProperties: 1,
      properties: Object.fromEntries(QUANTIFIERS.map((q) => [q, ref('Filter')])),
      additionalProperties: false,
    },
  };
}

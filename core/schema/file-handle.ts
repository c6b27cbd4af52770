/**
 * The value of a file field (`"x-type": "file"`): a handle to bytes kept in the database
 * (core/files), never the bytes. A record stores the whole handle, so that lists, exports and
 * history show the file's name without reading the files table; the engine writes name, type and
 * size from the stored upload, whatever the client sent besides the id.
 */
import type { JsonSchema } from './module.js';

export interface FileHandle {
  /** 32 hexadecimal digits, random: `POST /api/files` answers it. */
  readonly id: string;
  readonly name: string;
  /** The media type the uploader's browser gave (`application/pdf`); served with nosniff. */
  readonly type: string;
  /** In bytes. */
  readonly size: number;
}

export const FILE_ID = '^[0-9a-f]{32}$';

const HANDLE_PROPERTIES = {
  id: { type: 'string', pattern: FILE_ID },
  name: { type: 'string' },
  type: { type: 'string' },
  size: { type: 'integer', minimum: 0 },
};

/** What a create or update may send: the handle `POST /api/files` answered (only its id counts). */
export const FILE_HANDLE_INPUT: JsonSchema = {
  type: 'object',
  properties: HANDLE_PROPERTIES,
  required: ['id'],
  additionalProperties: false,
};

/** What a read returns. */
export const FILE_HANDLE_OUTPUT: JsonSchema = {
  type: 'object',
  properties: HANDLE_PROPERTIES,
  required: ['id', 'name', 'type', 'size'],
  additionalProperties: false,
  description: 'a file: download it from GET /api/data/<module>/<id>/files/<field>',
};

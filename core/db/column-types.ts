import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';
import { enumColumnWidth, type Field } from '../schema/module.js';

/** Longest VARCHAR we create; longer strings become TEXT (and cannot be indexed). */
export const MAX_VARCHAR = 2000;

/** The column of a stored field, per dialect through sequelize's types. */
export function columnFor(field: Field, dialect: 'sqlite' | 'mysql'): ModelAttributeColumnOptions {
  if (field.name === 'id') return { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
  // The department code copy compares like department.code (NOCASE on SQLite, which its LIKE
  // index optimisation also needs).
  // On MySQL it is ASCII, byte-compared: department codes are [0-9A-Za-z], copied exactly, and
  // a narrow key makes the department range cheaper to read and count.
  if (field.internal) return { type: dialect === 'sqlite' ? 'VARCHAR(64) COLLATE NOCASE' : 'VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin', allowNull: true };
  if (field.system) {
    switch (field.name) {
      case 'createdAt':
      case 'updatedAt':
        return { type: DataTypes.DATE(3), allowNull: false };
      case 'deletedAt':
        return { type: DataTypes.DATE(3), allowNull: true };
      case 'version':
        return { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 };
      default:
        return { type: DataTypes.INTEGER, allowNull: true };
    }
  }
  const base: ModelAttributeColumnOptions = { type: withCollation(field, dialect), allowNull: !field.required };
  if (field.default !== undefined && field.kind !== 'json' && field.kind !== 'file') base.defaultValue = field.default as never;
  return base;
}

/**
 * Text compares alike on both dialects: MariaDB's utf8mb4_unicode_ci ignores case, so SQLite's
 * text columns are NOCASE (equality, uniqueness and sort ignore ASCII case). Accents and
 * trailing spaces still compare differently; see docs/DEFINITIONS.md.
 */
function withCollation(field: Field, dialect: 'sqlite' | 'mysql') {
  const type = typeOf(field, dialect);
  if (dialect !== 'sqlite') return type;
  switch (field.kind) {
    case 'string':
      return field.maxLength! <= MAX_VARCHAR ? `VARCHAR(${field.maxLength}) COLLATE NOCASE` : 'TEXT COLLATE NOCASE';
    case 'text':
      return 'TEXT COLLATE NOCASE';
    case 'enum':
      return `VARCHAR(${enumColumnWidth(field.enum!)}) COLLATE NOCASE`;
    default:
      return type;
  }
}

function typeOf(field: Field, dialect: 'sqlite' | 'mysql') {
  // SQLite has one TEXT; MySQL's TEXT holds 64 KiB, so long text is MEDIUMTEXT and JSON LONGTEXT.
  const text = (size: 'medium' | 'long') => (dialect === 'sqlite' ? DataTypes.TEXT : DataTypes.TEXT(size));
  switch (field.kind) {
    case 'string':
      return field.maxLength! <= MAX_VARCHAR ? DataTypes.STRING(field.maxLength!) : text('medium');
    case 'text':
      return text('medium');
    case 'password':
      return DataTypes.STRING(255);
    case 'enum':
      return DataTypes.STRING(enumColumnWidth(field.enum!));
    case 'integer':
    case 'ref':
      return DataTypes.INTEGER;
    case 'number':
      return DataTypes.DECIMAL(field.precision ?? 18, field.scale ?? 4);
    case 'boolean':
      return DataTypes.BOOLEAN;
    case 'date':
      return DataTypes.DATEONLY;
    case 'datetime':
      return DataTypes.DATE(3);
    case 'json':
      return text('long');
    case 'file':
      // The handle (id, name, type, size) as JSON; the bytes are in _stratum_files.
      return DataTypes.TEXT;
  }
}

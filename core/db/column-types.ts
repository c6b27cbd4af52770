import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';
import type { Field } from '../schema/module.js';

/** Longest VARCHAR we create; longer strings become TEXT (and cannot be indexed). */
export const MAX_VARCHAR = 2000;

/** The column of a stored field, per dialect through sequelize's types. */
export function columnFor(field: Field): ModelAttributeColumnOptions {
  if (field.name === 'id') return { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
  if (field.system) {
    switch (field.name) {
      case 'createdAt':
      case 'updatedAt':
        return { type: DataTypes.DATE(3), allowNull: false };
      case 'version':
        return { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 };
      default:
        return { type: DataTypes.INTEGER, allowNull: true };
    }
  }
  const base: ModelAttributeColumnOptions = { type: typeOf(field), allowNull: !field.required };
  if (field.default !== undefined && field.kind !== 'json') base.defaultValue = field.default as never;
  return base;
}

function typeOf(field: Field) {
  switch (field.kind) {
    case 'string':
      return field.maxLength! <= MAX_VARCHAR ? DataTypes.STRING(field.maxLength!) : DataTypes.TEXT('medium');
    case 'text':
      return DataTypes.TEXT('medium');
    case 'password':
      return DataTypes.STRING(255);
    case 'enum':
      return DataTypes.STRING(Math.max(32, ...field.enum!.map((e) => e.length)));
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
      return DataTypes.TEXT('long');
  }
}

/**
 * English and Chinese: the UI's own words here, module and field labels from the definitions'
 * `x-i18n`. The choice is kept per browser (localStorage).
 */
import type { FieldMeta, ModuleMeta, RelationMeta } from './api.js';

export type Lang = 'en' | 'zh';
export const LANGS: readonly { code: Lang; name: string }[] = [{ code: 'en', name: 'English' }, { code: 'zh', name: '中文' }];

const KEY = 'stratum.lang';

function initial(): Lang {
  const saved = localStorage.getItem(KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let lang: Lang = initial();
document.documentElement.lang = lang;

export const currentLang = (): Lang => lang;

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem(KEY, next);
  document.documentElement.lang = next;
}

const EN = {
  'app.name': 'Stratum',
  'nav.home': 'Home',
  'nav.modules': 'Modules',
  'nav.admin': 'Administration',
  'nav.logout': 'Log out',
  'nav.language': 'Language',
  'login.title': 'Log in to Stratum',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.failed': 'Wrong username or password',
  'home.welcome': 'Welcome, {name}',
  'home.intro': 'Choose a module to see its records. You see the modules and records your roles allow.',
  'home.empty': 'You may not read any module yet. Ask an admin to grant your role "read" on a module.',
  'list.search': 'Search {fields}',
  'list.searchNone': 'Search',
  'list.filters': 'Filters',
  'list.filtersCount': 'Filters ({n})',
  'list.export': 'Export CSV',
  'list.new': 'New {module}',
  'list.total': '{from}–{to} of {total}',
  'list.totalNone': 'No records',
  'list.prev': 'Previous',
  'list.next': 'Next',
  'list.page': 'Page {page} of {pages}',
  'list.empty': 'No {module} records yet.',
  'list.emptyFiltered': 'No records match the search or filters.',
  'list.clear': 'Clear search and filters',
  'list.selected': '{n} selected',
  'list.deleteSelected': 'Delete selected',
  'list.confirmDelete': 'Delete {n} records? This cannot be undone.',
  'list.deleted': '{n} records deleted',
  'list.selectAll': 'Select all on this page',
  'list.select': 'Select record {id}',
  'list.sortBy': 'Sort by {field}',
  'filter.add': 'Add a filter…',
  'filter.apply': 'Apply',
  'filter.reset': 'Remove all',
  'filter.remove': 'Remove filter',
  'filter.any': 'any',
  'filter.yes': 'yes',
  'filter.no': 'no',
  'filter.from': 'from',
  'filter.to': 'to',
  'filter.min': 'min',
  'filter.max': 'max',
  'filter.contains': 'contains',
  'filter.between': 'between',
  'filter.olderThan': 'more than … days ago',
  'filter.within': 'in the last … days',
  'filter.days': 'days',
  'filter.empty': 'is empty',
  'filter.none': 'No filters. Add one to narrow the list.',
  'form.new': 'New {module}',
  'form.edit': 'Edit',
  'form.save': 'Save',
  'form.create': 'Create',
  'form.cancel': 'Cancel',
  'form.saving': 'Saving…',
  'form.required': 'required',
  'form.invalid': 'Please correct the marked fields.',
  'form.noWritable': 'You may not change any field of this module.',
  'form.choose': '— choose —',
  'form.none': '(none)',
  'form.duplicateOpen': 'Open the existing record #{id}',
  'form.staleTitle': 'Someone else changed this record while you were editing it',
  'form.staleIntro': 'It is now version {version}. These fields changed:',
  'form.staleTheirs': 'now',
  'form.staleYours': 'yours',
  'form.staleNone': 'No field you can see changed; saving again is safe.',
  'form.staleKeepMine': 'Save my values over theirs',
  'form.staleTakeTheirs': 'Discard my changes and load theirs',
  'form.passwordKeep': 'leave empty to keep the current one',
  'form.json': 'JSON',
  'picker.search': 'Type to search {module}',
  'picker.clear': 'Clear',
  'picker.noMatch': 'No match',
  'picker.add': 'Add…',
  'detail.edit': 'Edit',
  'detail.delete': 'Delete',
  'detail.confirmDelete': 'Delete this record? This cannot be undone.',
  'detail.related': 'Related',
  'detail.relatedEmpty': 'None yet.',
  'detail.viewAll': 'View all {n}',
  'detail.add': 'Add',
  'detail.system': 'Record information',
  'valid.required': 'is required',
  'valid.maxLength': 'must be at most {n} characters',
  'valid.minLength': 'must be at least {n} characters',
  'valid.pattern': 'does not have the expected form ({pattern})',
  'valid.minimum': 'must be at least {n}',
  'valid.maximum': 'must be at most {n}',
  'valid.integer': 'must be a whole number',
  'valid.number': 'must be a number',
  'valid.enum': 'must be one of: {values}',
  'valid.email': 'must be an e-mail address like name@example.com',
  'valid.uri': 'must be a full address like https://example.com',
  'valid.date': 'must be a date like 2024-05-31',
  'valid.datetime': 'must be a date and time',
  'valid.json': 'is not valid JSON',
  'value.yes': 'Yes',
  'value.no': 'No',
  'error.title': 'Something went wrong',
  'error.notFound': 'This record does not exist, or you may not see it.',
  'error.unknownModule': 'There is no module "{module}", or you may not read it.',
  'error.retry': 'Try again',
  'loading': 'Loading…',
  'field.id': 'ID',
  'field.createdAt': 'Created',
  'field.updatedAt': 'Updated',
  'field.createdBy': 'Created by',
  'field.updatedBy': 'Updated by',
  'field.version': 'Version',
};

type Key = keyof typeof EN;

const ZH: Record<Key, string> = {
  'app.name': 'Stratum',
  'nav.home': '首页',
  'nav.modules': '模块',
  'nav.admin': '系统管理',
  'nav.logout': '退出登录',
  'nav.language': '语言',
  'login.title': '登录 Stratum',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.failed': '用户名或密码错误',
  'home.welcome': '欢迎，{name}',
  'home.intro': '选择一个模块查看记录。您只能看到角色允许的模块和记录。',
  'home.empty': '您还不能读取任何模块。请管理员为您的角色授予某个模块的“读取”权限。',
  'list.search': '搜索{fields}',
  'list.searchNone': '搜索',
  'list.filters': '筛选',
  'list.filtersCount': '筛选（{n}）',
  'list.export': '导出 CSV',
  'list.new': '新建{module}',
  'list.total': '第 {from}–{to} 条，共 {total} 条',
  'list.totalNone': '没有记录',
  'list.prev': '上一页',
  'list.next': '下一页',
  'list.page': '第 {page} / {pages} 页',
  'list.empty': '还没有{module}记录。',
  'list.emptyFiltered': '没有符合搜索或筛选条件的记录。',
  'list.clear': '清除搜索和筛选',
  'list.selected': '已选 {n} 条',
  'list.deleteSelected': '删除所选',
  'list.confirmDelete': '确定删除 {n} 条记录？此操作无法撤销。',
  'list.deleted': '已删除 {n} 条记录',
  'list.selectAll': '选择本页全部',
  'list.select': '选择记录 {id}',
  'list.sortBy': '按{field}排序',
  'filter.add': '添加筛选条件…',
  'filter.apply': '应用',
  'filter.reset': '全部移除',
  'filter.remove': '移除条件',
  'filter.any': '全部',
  'filter.yes': '是',
  'filter.no': '否',
  'filter.from': '从',
  'filter.to': '到',
  'filter.min': '最小',
  'filter.max': '最大',
  'filter.contains': '包含',
  'filter.between': '介于',
  'filter.olderThan': '早于 … 天前',
  'filter.within': '最近 … 天内',
  'filter.days': '天',
  'filter.empty': '为空',
  'filter.none': '没有筛选条件。添加一个来缩小列表。',
  'form.new': '新建{module}',
  'form.edit': '编辑',
  'form.save': '保存',
  'form.create': '创建',
  'form.cancel': '取消',
  'form.saving': '正在保存…',
  'form.required': '必填',
  'form.invalid': '请修正标出的字段。',
  'form.noWritable': '您不能修改此模块的任何字段。',
  'form.choose': '— 请选择 —',
  'form.none': '（无）',
  'form.duplicateOpen': '打开已有记录 #{id}',
  'form.staleTitle': '您编辑期间，其他人修改了这条记录',
  'form.staleIntro': '现在是第 {version} 版。以下字段有变化：',
  'form.staleTheirs': '现在',
  'form.staleYours': '您的',
  'form.staleNone': '您能看到的字段都没有变化，可以放心再次保存。',
  'form.staleKeepMine': '用我的值覆盖',
  'form.staleTakeTheirs': '放弃我的修改，载入最新版本',
  'form.passwordKeep': '留空则保持不变',
  'form.json': 'JSON',
  'picker.search': '输入以搜索{module}',
  'picker.clear': '清除',
  'picker.noMatch': '没有匹配项',
  'picker.add': '添加…',
  'detail.edit': '编辑',
  'detail.delete': '删除',
  'detail.confirmDelete': '确定删除这条记录？此操作无法撤销。',
  'detail.related': '相关',
  'detail.relatedEmpty': '暂无。',
  'detail.viewAll': '查看全部 {n} 条',
  'detail.add': '添加',
  'detail.system': '记录信息',
  'valid.required': '为必填项',
  'valid.maxLength': '最多 {n} 个字符',
  'valid.minLength': '至少 {n} 个字符',
  'valid.pattern': '格式不正确（{pattern}）',
  'valid.minimum': '不能小于 {n}',
  'valid.maximum': '不能大于 {n}',
  'valid.integer': '必须是整数',
  'valid.number': '必须是数字',
  'valid.enum': '必须是以下之一：{values}',
  'valid.email': '必须是邮箱地址，如 name@example.com',
  'valid.uri': '必须是完整网址，如 https://example.com',
  'valid.date': '必须是日期，如 2024-05-31',
  'valid.datetime': '必须是日期和时间',
  'valid.json': '不是有效的 JSON',
  'value.yes': '是',
  'value.no': '否',
  'error.title': '出错了',
  'error.notFound': '这条记录不存在，或您无权查看。',
  'error.unknownModule': '没有模块“{module}”，或您无权读取。',
  'error.retry': '重试',
  'loading': '加载中…',
  'field.id': '编号',
  'field.createdAt': '创建时间',
  'field.updatedAt': '更新时间',
  'field.createdBy': '创建人',
  'field.updatedBy': '更新人',
  'field.version': '版本',
};

/** A UI string in the current language, with `{name}` placeholders filled in. */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  const text = (lang === 'zh' ? ZH : EN)[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** A label in the current language from an `x-i18n` map (`zh`, `zh-CN`, `zh-Hans`… all count as zh). */
function pick(i18n: Record<string, string>, fallback: string): string {
  const tags = Object.keys(i18n).filter((tag) => tag === lang || tag.startsWith(`${lang}-`));
  return tags.length > 0 ? i18n[tags.sort()[0]!]! : fallback;
}

export const moduleTitle = (m: ModuleMeta): string => pick(m.i18n, m.title);

const SYSTEM_KEYS: Record<string, Key> = { id: 'field.id', createdAt: 'field.createdAt', updatedAt: 'field.updatedAt', createdBy: 'field.createdBy', updatedBy: 'field.updatedBy', version: 'field.version' };

export function fieldTitle(f: FieldMeta | RelationMeta): string {
  if ('system' in f && f.system && SYSTEM_KEYS[f.name]) return t(SYSTEM_KEYS[f.name]!);
  return pick(f.i18n, f.title);
}

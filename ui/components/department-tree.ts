/**
 * Navigation counts: the department tree beside a list, each node with the number of records
 * the user may see in it and the departments under it. One aggregate request grouped by the
 * department code (`GET /api/meta/modules` names the path) gives every count; the server scopes
 * it like the list, so a node's count is the list's total once the node is clicked.
 */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, type ModuleMeta } from '../api.js';
import { t } from '../i18n.js';
import { onUnauthenticated } from '../session.js';

interface Department {
  code: string;
  name: string;
}

interface TreeNode extends Department {
  count: number;
  children: TreeNode[];
}

interface Props {
  module: ModuleMeta;
  /** The reference path to the department (`consultant.department`). */
  path: string;
  /** The list's own filter and search, without the department: counts for every node under them. */
  filter: unknown;
  q: string;
  /** The chosen node's code, or undefined for all. */
  selected: string | undefined;
  onSelect: (code: string | undefined) => void;
  /** Whether the user may read departments, for their names and the nodes without records. */
  departmentsReadable: boolean;
}

/** The filter condition for a node: its code as a prefix, the same range the engine's visibility uses. */
export const departmentFilter = (path: string, code: string) => ({ [`${path}.code`]: { startsWith: code } });

export function DepartmentTree({ module, path, filter, q, selected, onSelect, departmentsReadable }: Props) {
  const [departments, setDepartments] = useState<Department[]>();
  const [counts, setCounts] = useState<Map<string | null, number>>();
  const [error, setError] = useState<string>();
  const [closed, setClosed] = useState(new Set<string>());
  const group = `${path}.code`;
  const filterText = filter ? JSON.stringify(filter) : '';

  useEffect(() => {
    if (!departmentsReadable) return setDepartments([]);
    let live = true;
    api.data('department').list({ fields: ['code', 'name'], sort: 'code', pageSize: 500 }).then(
      (r) => live && setDepartments(r.data.map((d) => ({ code: String(d.code), name: String(d.name ?? d.code) }))),
      () => live && setDepartments([]),
    );
    return () => {
      live = false;
    };
  }, [departmentsReadable]);

  useEffect(() => {
    let live = true;
    setError(undefined);
    const query = { groupBy: group, metrics: 'count()', limit: 10000, ...(filterText ? { filter: filterText } : {}), ...(q ? { q } : {}) };
    api.request<{ data: Record<string, unknown>[] }>('GET', `/api/data/${module.name}/aggregate`, { query }).then(
      (r) => live && setCounts(new Map(r.data.map((row) => [row[group] === null ? null : String(row[group]), Number(row['count()'])]))),
      (e) => live && !onUnauthenticated(e) && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [module.name, group, filterText, q]);

  if (error) return html`<aside class="dept-tree" data-testid="dept-tree"><p class="muted">${error}</p></aside>`;
  if (!counts || !departments) return html`<aside class="dept-tree" data-testid="dept-tree"><p class="muted">…</p></aside>`;
  const roots = buildTree(departments, counts);
  const all = [...counts.values()].reduce((a, b) => a + b, 0);
  const none = counts.get(null) ?? 0;
  const toggle = (code: string) => setClosed((s) => {
    const next = new Set(s);
    if (next.has(code)) next.delete(code);
    else next.add(code);
    return next;
  });

  const item = (node: TreeNode): ReturnType<typeof html> => {
    const open = !closed.has(node.code);
    return html`<li key=${node.code} role="treeitem" aria-expanded=${node.children.length > 0 ? open : undefined} aria-selected=${selected === node.code}>
      <div class=${`dept-node${selected === node.code ? ' active' : ''}${node.count === 0 ? ' empty' : ''}`}>
        ${node.children.length > 0
          ? html`<button type="button" class="dept-twisty" onClick=${() => toggle(node.code)}
              aria-label=${t(open ? 'tree.collapse' : 'tree.expand', { name: node.name })}>${open ? '▾' : '▸'}</button>`
          : html`<span class="dept-twisty"></span>`}
        <button type="button" class="dept-name" onClick=${() => onSelect(node.code)} data-code=${node.code} title=${node.code}>
          <span>${node.name}</span><span class="dept-count" data-testid="dept-count">${node.count}</span>
        </button>
      </div>
      ${open && node.children.length > 0 && html`<ul role="group">${node.children.map(item)}</ul>`}
    </li>`;
  };

  return html`<aside class="dept-tree" data-testid="dept-tree" aria-label=${t('tree.title')}>
    <h2 class="dept-title">${t('tree.title')}</h2>
    <p class="muted dept-hint">${t('tree.hint')}</p>
    <ul role="tree">
      <li role="treeitem" aria-selected=${selected === undefined}>
        <div class=${`dept-node${selected === undefined ? ' active' : ''}`}>
          <span class="dept-twisty"></span>
          <button type="button" class="dept-name" onClick=${() => onSelect(undefined)} data-code="">
            <span>${t('tree.all')}</span><span class="dept-count" data-testid="dept-count">${all}</span>
          </button>
        </div>
      </li>
      ${roots.map(item)}
    </ul>
    ${none > 0 && html`<p class="muted dept-none">${t('tree.none')}: ${none}</p>`}
  </aside>`;
}

/**
 * Nodes from the departments the user may read and the codes that have records (a code without a
 * readable department is shown by its code); a node's parent is the longest other code that is a
 * prefix of it, and its count covers every code it is a prefix of.
 */
export function buildTree(departments: readonly Department[], counts: ReadonlyMap<string | null, number>): TreeNode[] {
  const byCode = new Map<string, Department>(departments.map((d) => [d.code, d]));
  for (const code of counts.keys()) if (code !== null && !byCode.has(code)) byCode.set(code, { code, name: code });
  const codes = [...byCode.keys()].sort();
  const nodes = new Map<string, TreeNode>(codes.map((code) => [code, {
    ...byCode.get(code)!,
    count: [...counts].reduce((n, [c, k]) => (c !== null && c.startsWith(code) ? n + k : n), 0),
    children: [],
  }]));
  const roots: TreeNode[] = [];
  for (const code of codes) {
    const parent = codes.filter((c) => c !== code && code.startsWith(c)).sort((a, b) => b.length - a.length)[0];
    if (parent) nodes.get(parent)!.children.push(nodes.get(code)!);
    else roots.push(nodes.get(code)!);
  }
  return roots;
}

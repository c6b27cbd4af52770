import { execFileSync } from 'node:child_process';

/**
 * The commit a bench report was measured on, naming the engine files (core/) changed and not
 * committed, so that a report says what it measured.
 */
export function measuredCommit(root: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'core'], { cwd: root, encoding: 'utf8' }).split('\n').filter((l) => l.length > 3);
    return dirty.length > 0 ? `${head}, with uncommitted changes in core/ (${dirty.map((l) => l.slice(3)).join(', ')})` : head;
  } catch {
    return 'unknown';
  }
}

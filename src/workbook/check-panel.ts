/**
 * The ✓/✗ panel a check shows under its cell: page wiring only. It lives apart from checks.ts so that the check
 * mechanism (verdicts, the hint ladder, CheckFailed) is pure logic that runs and is mutation-tested in Node, while
 * this DOM is built only in the page and read by the lesson e2e specs (their ✓/✗, message and hints, in Chromium).
 */
import type { ShownVerdict } from './checks';

/** The ✓/✗ panel (DOM: only built when a cell shows it). The ✗ panel is an alert, so a screen reader says it. */
export function checkPanel(result: ShownVerdict): HTMLElement {
  const box = document.createElement('div');
  box.className = `wb-check ${result.pass ? 'wb-check-pass' : 'wb-check-fail'}`;
  box.dataset.check = result.pass ? 'pass' : 'fail';
  box.setAttribute('role', result.pass ? 'status' : 'alert');
  const mark = document.createElement('strong');
  mark.className = 'wb-check-mark';
  mark.textContent = result.pass ? '✓ Check passed' : '✗ Not yet';
  const message = document.createElement('p');
  message.className = 'wb-check-message';
  message.textContent = result.message;
  box.append(mark, message);
  if (result.shownHints.length) {
    // An ordered list: the rungs in the order they came, the newest last.
    const list = document.createElement('ol');
    list.className = 'wb-check-hints';
    list.setAttribute('aria-label', `Hints: ${result.shownHints.length} of ${result.hints.length}`);
    for (const text of result.shownHints) {
      const item = document.createElement('li');
      item.className = 'wb-check-hint';
      item.textContent = `Hint: ${text}`;
      list.append(item);
    }
    box.append(list);
    if (result.shownHints.length < result.hints.length) {
      const more = document.createElement('p');
      more.className = 'wb-check-more';
      more.textContent = 'Stuck? Run the cell again: if the same mistake is still there, the next hint appears.';
      box.append(more);
    }
  }
  return box;
}

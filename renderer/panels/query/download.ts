/**
 * Saves text the page already holds as a file through a Blob URL and the browser's download: no
 * request leaves the page. The engine has no call that writes an arbitrary result (export:events
 * writes events by filter), so the query grid's CSV goes this way in the app and in web mode.
 */
export function downloadText(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has its own copy once click() returns; the URL can go on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

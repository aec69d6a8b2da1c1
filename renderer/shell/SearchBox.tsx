import { useEffect, useRef, useState } from 'react';
import { useApp } from '../store/context';

/** Free-text search in the original records; `/` focuses it, Enter applies at once. */
export function SearchBox() {
  const text = useApp((s) => s.text);
  const setText = useApp((s) => s.setText);
  const [draft, setDraft] = useState(text);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setDraft(text);
  }, [text]);
  useEffect(() => {
    if (draft === text) return;
    const t = setTimeout(() => setText(draft), 500);
    return () => clearTimeout(t);
  }, [draft, text, setText]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const el = e.target as HTMLElement | null;
      const typing = el?.closest('input, textarea, select, [contenteditable="true"]');
      if (e.key === '/' && !typing) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <input
      ref={input}
      type="search"
      className="search"
      placeholder="Search records  ( / )"
      aria-label="Search the original records"
      value={draft}
      spellCheck={false}
      onChange={(e) => setDraft(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') setText(draft);
        if (e.key === 'Escape') input.current?.blur();
      }}
    />
  );
}

/**
 * The SQL editor: CodeMirror 6 with SQLite highlighting, completion from the schema, and
 * Ctrl/Cmd+Enter to run. The editor owns its text while the user types; `value` replaces it only when
 * it changes from outside (a history entry or a starter query loaded).
 *
 * The page's CSP forbids <style> elements, and CodeMirror (style-mod) writes its styles into one when
 * it is mounted in a document, but into constructable stylesheets when mounted in a shadow root: so
 * the editor lives in a shadow root. Colours are CSS variables, which cross the shadow boundary, so
 * the editor follows the light and dark themes.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { SQLite } from '@codemirror/lang-sql';
import { bracketMatching, HighlightStyle, LanguageSupport, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import { useEffect, useRef } from 'react';
import { sqlCompletionSource, type SchemaTable } from './completion';

export interface SqlEditorProps {
  readonly value: string;
  readonly tables: readonly SchemaTable[];
  onChange(sql: string): void;
  onRun(sql: string): void;
}

const highlight = HighlightStyle.define([
  { tag: t.keyword, color: 'var(--tok-keyword)', fontWeight: '600' },
  { tag: [t.string, t.special(t.string)], color: 'var(--tok-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--tok-number)' },
  { tag: [t.lineComment, t.blockComment, t.comment], color: 'var(--tok-comment)', fontStyle: 'italic' },
  { tag: [t.typeName, t.standard(t.name)], color: 'var(--tok-type)' },
  { tag: [t.operator, t.punctuation, t.bracket], color: 'var(--tok-op)' },
  { tag: [t.name, t.propertyName, t.special(t.name)], color: 'var(--tok-name)' },
]);

/** Colours come from app.css's variables, so the editor follows the light and dark themes. */
const editorTheme = EditorView.theme({
  '&': { height: '100%', backgroundColor: 'var(--bg-input)', color: 'var(--text)', fontSize: '12.5px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '.cm-gutters': { backgroundColor: 'var(--bg-header)', color: 'var(--text-muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--cm-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--bg-hover)' },
  '.cm-selectionBackground, &.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground': { backgroundColor: 'var(--sel-bg)' },
  '&.cm-focused .cm-matchingBracket': { backgroundColor: 'var(--accent-soft)', outline: '1px solid var(--accent)' },
  '.cm-placeholder': { color: 'var(--text-muted)' },
  '.cm-tooltip': { backgroundColor: 'var(--bg-panel)', color: 'var(--text)', border: '1px solid var(--border)', boxShadow: 'var(--shadow)' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul': { fontFamily: 'var(--mono)', fontSize: '12px', maxHeight: '16em' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--accent-text)' },
  '.cm-completionDetail': { color: 'var(--text-muted)', marginLeft: '1em' },
  '.cm-completionMatchedText': { textDecoration: 'none', fontWeight: '700' },
});

/**
 * Typing over a selection that spans highlighted tokens makes Chromium's own editing carry the
 * first token's style onto the new text as an inline style attribute, which the CSP blocks (with a
 * console error). Such input is applied by CodeMirror instead of the browser.
 */
const replaceSelectionInput = EditorView.domEventHandlers({
  beforeinput(e, view) {
    if (e.inputType !== 'insertText' || e.data === null || view.composing || view.state.selection.ranges.every((r) => r.empty)) return false;
    e.preventDefault();
    view.dispatch(view.state.replaceSelection(e.data), { userEvent: 'input.type', scrollIntoView: true });
    return true;
  },
});

function completionFor(tables: readonly SchemaTable[]) {
  return autocompletion({ override: [sqlCompletionSource(tables)], activateOnTyping: true });
}

export function SqlEditor(p: SqlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const completion = useRef(new Compartment());
  const props = useRef(p);
  props.current = p;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const shadow = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
    // Outside the shadow root a key event's target is the host, not an editable element, so window
    // shortcuts (`/` focuses the search) would fire while typing SQL: keys stay in the editor.
    const keep = (e: KeyboardEvent): void => e.stopPropagation();
    el.addEventListener('keydown', keep);
    const parent = document.createElement('div');
    parent.className = 'sql-editor-root';
    parent.style.height = '100%';
    shadow.appendChild(parent);
    const run = (v: EditorView): boolean => {
      props.current.onRun(v.state.doc.toString());
      return true;
    };
    const v = new EditorView({
      parent,
      root: shadow,
      state: EditorState.create({
        doc: props.current.value,
        extensions: [
          // Above the default keymap, whose Mod-Enter inserts a blank line.
          Prec.highest(keymap.of([{ key: 'Mod-Enter', run }, { key: 'Ctrl-Enter', run }])),
          lineNumbers(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          bracketMatching(),
          closeBrackets(),
          new LanguageSupport(SQLite.language),
          syntaxHighlighting(highlight),
          editorTheme,
          replaceSelectionInput,
          completion.current.of(completionFor(props.current.tables)),
          keymap.of([...closeBracketsKeymap, ...completionKeymap, ...defaultKeymap, ...historyKeymap]),
          placeholder('SELECT … FROM events'),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': 'SQL query', 'data-testid': 'sql-input' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) props.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      parent.remove();
      el.removeEventListener('keydown', keep);
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== p.value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: p.value } });
  }, [p.value]);

  useEffect(() => {
    view.current?.dispatch({ effects: completion.current.reconfigure(completionFor(p.tables)) });
  }, [p.tables]);

  return <div ref={host} className="sql-editor" data-testid="sql-editor" />;
}

import { Fragment } from 'react';

const MARK = /(⟨U\+[0-9A-F]{4,6}⟩)/;

/**
 * Text already passed through `reveal()`, with each ⟨U+XXXX⟩ mark set apart so an investigator
 * notices it. Still text only: the marks are spans with text children.
 */
export function Revealed({ text }: { readonly text: string }) {
  if (!text.includes('⟨U+')) return <>{text}</>;
  return (
    <>
      {text.split(MARK).map((part, i) =>
        MARK.test(part) ? (
          <span key={i} className="hidden-char" title="An invisible or direction-changing character in the data">
            {part}
          </span>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

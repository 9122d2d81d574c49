import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import type { Parsed } from '../state/parse';

interface Props<T> {
  label: string;
  value: T;
  format: (v: T) => string;
  parse: (text: string) => Parsed<T>;
  onCommit: (v: T) => void;
  /** Shown under the field when the text parses (say, the MSR a name resolves to). */
  hint?: (v: T) => ReactNode;
  className?: string;
  list?: string;
  placeholder?: string;
  /** Hide the visible label (the accessible name stays). */
  hideLabel?: boolean;
}

/**
 * A text field over a typed value. Every keystroke that parses is committed; text that does not parse shows its
 * error and leaves the last good value in place, so nothing is lost and nothing crashes. When the value changes
 * from elsewhere (undo, a preset), the text follows it.
 */
export function ParsedField<T>(props: Props<T>) {
  const { label, value, format, parse, onCommit, hint, className, list, placeholder, hideLabel } = props;
  const id = useId();
  const [text, setText] = useState(() => format(value));
  const [error, setError] = useState<string | null>(null);
  const textRef = useRef(text);
  textRef.current = text;

  // biome-ignore lint/correctness/useExhaustiveDependencies: follow the value only, not the functions
  useEffect(() => {
    const p = parse(textRef.current);
    if (!p.ok || !Object.is(p.value, value)) {
      setText(format(value));
      setError(null);
    }
  }, [value]);

  const onChange = (t: string) => {
    setText(t);
    const p = parse(t);
    if (p.ok) {
      setError(null);
      if (!Object.is(p.value, value)) onCommit(p.value);
    } else {
      setError(p.error);
    }
  };

  const parsed = error === null ? parse(text) : null;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const hintNode = parsed?.ok && hint ? hint(parsed.value) : null;
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <input
        id={id}
        type="text"
        value={text}
        list={list}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : hintNode ? hintId : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error ? (
        <span id={errorId} className="field-error">
          {error}; keeping {format(value)}
        </span>
      ) : hintNode ? (
        <span id={hintId} className="field-hint">
          {hintNode}
        </span>
      ) : null}
    </div>
  );
}

import type { ConfigIssue, JsonValue } from '@paperlab/core';
import type { JsonObject } from '@paperlab/core/runs';
import { useEffect, useState } from 'preact/hooks';
import {
  applyEdit,
  constraintText,
  type Field,
  getIn,
  issueMatches,
  jsonEqual,
  type Parsed,
  parseJson,
  parseNumber,
  parseNumberList,
} from '../lib/schemaForm.js';

/** Props of {@link ConfigForm}. */
export interface ConfigFormProps {
  fields: Field[];
  /** The resolved config of the selected preset: what a field shows when not overridden. */
  base: JsonObject | null;
  overrides: JsonObject;
  issues: ConfigIssue[];
  disabled: boolean;
  onChange(overrides: JsonObject): void;
  /** Reports fields whose text does not parse (the Run button waits for them). */
  onLocalErrors(keys: string[]): void;
}

interface WidgetProps {
  field: Field;
  value: JsonValue | undefined;
  disabled: boolean;
  onValue(value: JsonValue | undefined): void;
  onLocalError(error: string | undefined): void;
}

/** A text box with its own text state, so half-typed input ("64, 1") is kept while it does not parse. */
function TextBox(props: {
  id: string;
  value: JsonValue | undefined;
  format(v: JsonValue | undefined): string;
  parse(text: string): Parsed;
  onValue(v: JsonValue): void;
  onLocalError(error: string | undefined): void;
  disabled: boolean;
  multiline?: boolean;
  inputMode?: 'decimal' | 'numeric' | 'text';
}) {
  const [text, setText] = useState(props.format(props.value));
  useEffect(() => {
    const p = props.parse(text);
    if (!p.ok || !jsonEqual(p.value, props.value)) {
      setText(props.format(props.value));
      props.onLocalError(undefined);
    }
  }, [JSON.stringify(props.value)]);
  const onInput = (e: Event) => {
    const t = (e.currentTarget as HTMLInputElement).value;
    setText(t);
    const p = props.parse(t);
    if (p.ok) {
      props.onLocalError(undefined);
      props.onValue(p.value);
    } else props.onLocalError(p.error);
  };
  return props.multiline ? (
    <textarea
      id={props.id}
      rows={3}
      value={text}
      disabled={props.disabled}
      onInput={onInput}
      spellcheck={false}
    />
  ) : (
    <input
      id={props.id}
      type="text"
      inputMode={props.inputMode ?? 'text'}
      value={text}
      disabled={props.disabled}
      onInput={onInput}
      spellcheck={false}
      autocomplete="off"
    />
  );
}

function Widget({ field, value, disabled, onValue, onLocalError }: WidgetProps) {
  const id = `cfg-${field.key}`;
  switch (field.kind) {
    case 'number':
      return (
        <TextBox
          id={id}
          value={value}
          inputMode={field.integer ? 'numeric' : 'decimal'}
          format={(v) => (v === null || v === undefined ? '' : String(v))}
          parse={(t) => parseNumber(t, field)}
          onValue={onValue}
          onLocalError={onLocalError}
          disabled={disabled}
        />
      );
    case 'numbers':
      return (
        <TextBox
          id={id}
          value={value}
          inputMode="text"
          format={(v) => (Array.isArray(v) ? v.join(', ') : '')}
          parse={(t) => parseNumberList(t, field.integer)}
          onValue={onValue}
          onLocalError={onLocalError}
          disabled={disabled}
        />
      );
    case 'enum':
      return (
        <select
          id={id}
          disabled={disabled}
          value={JSON.stringify(value ?? null)}
          onChange={(e) => onValue(JSON.parse((e.currentTarget as HTMLSelectElement).value) as JsonValue)}
        >
          {value === undefined && <option value="null">(unset)</option>}
          {field.options.map((o) => (
            <option key={JSON.stringify(o)} value={JSON.stringify(o)}>
              {String(o)}
            </option>
          ))}
        </select>
      );
    case 'boolean':
      return (
        <input
          id={id}
          type="checkbox"
          checked={value === true}
          disabled={disabled}
          onChange={(e) => onValue((e.currentTarget as HTMLInputElement).checked)}
        />
      );
    case 'string':
      return (
        <TextBox
          id={id}
          value={value}
          format={(v) => (typeof v === 'string' ? v : '')}
          parse={(t) => ({ ok: true, value: t })}
          onValue={onValue}
          onLocalError={onLocalError}
          disabled={disabled}
        />
      );
    default:
      return (
        <TextBox
          id={id}
          multiline
          value={value}
          format={(v) => (v === undefined ? '' : JSON.stringify(v))}
          parse={(t) => (t.trim() === '' ? { ok: true, value: null } : parseJson(t))}
          onValue={onValue}
          onLocalError={onLocalError}
          disabled={disabled}
        />
      );
  }
}

/** The config form generated from the experiment's schema: one widget per field, groups for objects. */
export function ConfigForm(props: ConfigFormProps) {
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  useEffect(() => props.onLocalErrors(Object.keys(localErrors)), [localErrors]);

  const render = (fields: Field[]) =>
    fields.map((field) => {
      if (field.kind === 'object') {
        return (
          <fieldset key={field.key} class="group">
            <legend title={field.description}>{field.label}</legend>
            {field.description && <p class="hint">{field.description}</p>}
            <div class="fields">{render(field.fields)}</div>
          </fieldset>
        );
      }
      const overridden = getIn(props.overrides, field.path) !== undefined;
      const value = overridden ? getIn(props.overrides, field.path) : getIn(props.base, field.path);
      const issues = props.issues.filter((i) => issueMatches(i.path, field.key));
      const local = localErrors[field.key];
      const constraint = field.kind === 'number' || field.kind === 'numbers' ? constraintText(field) : '';
      return (
        <div
          key={field.key}
          class={`field${overridden ? ' changed' : ''}${issues.length || local ? ' invalid' : ''}`}
        >
          <label for={`cfg-${field.key}`} title={field.key}>
            {field.label}
            {overridden && (
              <button
                type="button"
                class="link reset"
                title="back to the preset's value"
                disabled={props.disabled}
                onClick={() => props.onChange(applyEdit(props.overrides, props.base, field.path, undefined))}
              >
                reset
              </button>
            )}
          </label>
          <Widget
            field={field}
            value={value}
            disabled={props.disabled}
            onValue={(v) => props.onChange(applyEdit(props.overrides, props.base, field.path, v))}
            onLocalError={(err) =>
              setLocalErrors((prev) => {
                if (prev[field.key] === err) return prev;
                const next = { ...prev };
                if (err === undefined) delete next[field.key];
                else next[field.key] = err;
                return next;
              })
            }
          />
          {(field.description || constraint) && (
            <div class="hint">
              {field.description}
              {field.description && constraint ? ' · ' : ''}
              {constraint && <span class="constraint">{constraint}</span>}
            </div>
          )}
          {local && <div class="error-text">{local}</div>}
          {issues.map((i) => (
            <div key={i.path + i.expected} class="error-text">
              expected {i.expected}
              {i.received !== undefined ? `, got ${i.received}` : ''}
            </div>
          ))}
        </div>
      );
    });

  return <div class="fields">{render(props.fields)}</div>;
}

import { type UseComboboxPropGetters, type UseComboboxState, type UseComboboxStateChangeOptions, useCombobox } from "downshift";
import { type ReactNode, type TextareaHTMLAttributes, useEffect, useId, useRef, useState } from "react";
import { useT } from "../lib/i18n.tsx";
import "./Combobox.css";

/**
 * Searchable choices built on Downshift's `useCombobox` (WAI-ARIA combobox with a listbox: arrow keys,
 * Enter, Escape, Home/End, screen reader wiring). Lazy pages only: nothing in the entry or the
 * dashboard imports this file, so Downshift (about 13 KiB gzipped) never weighs on the first screens.
 */

type ComboboxOption = { value: string; label: string };

/** Case-insensitive match anywhere in the label; Khmer (no case) matches as typed, in any Unicode form. */
export function matchesQuery(label: string, query: string): boolean {
  const q = query.normalize("NFC").trim().toLocaleLowerCase();
  return q === "" || label.normalize("NFC").toLocaleLowerCase().includes(q);
}

type FrameProps = {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  optionalLabel?: string | undefined;
  className?: string | undefined;
};

/** The parts both fields share: the label (Downshift's), the control, the listbox under it, its error and hint. */
function Frame({
  label,
  error,
  hint,
  optionalLabel,
  className,
  ids,
  labelProps,
  control,
  list,
}: FrameProps & {
  ids: { hint: string; error: string };
  labelProps: ReturnType<UseComboboxPropGetters<ComboboxOption>["getLabelProps"]>;
  control: ReactNode;
  list: ReactNode;
}) {
  return (
    <div className={`field combobox${error ? " field-invalid" : ""}${className ? ` ${className}` : ""}`}>
      <label className="field-label" id={labelProps.id} htmlFor={labelProps.htmlFor}>
        {label}
        {optionalLabel ? <span className="field-optional"> ({optionalLabel})</span> : null}
      </label>
      <div className="combobox-control">
        {control}
        {list}
      </div>
      {error ? (
        <p className="field-error" id={ids.error}>
          {error}
        </p>
      ) : null}
      {hint ? (
        <p className="field-hint" id={ids.hint}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(ids: { hint: string; error: string }, hint: unknown, error: unknown): string | undefined {
  return [hint ? ids.hint : "", error ? ids.error : ""].filter(Boolean).join(" ") || undefined;
}

/** The listbox: every option wraps (long organisation names are never cut), the full text is its title too. */
function List({
  open,
  items,
  highlightedIndex,
  getMenuProps,
  getItemProps,
  empty,
}: {
  open: boolean;
  items: ComboboxOption[];
  highlightedIndex: number;
  getMenuProps: UseComboboxPropGetters<ComboboxOption>["getMenuProps"];
  getItemProps: UseComboboxPropGetters<ComboboxOption>["getItemProps"];
  empty: string;
}) {
  const menu = useRef<HTMLUListElement | null>(null);
  const shown = open && items.length > 0;
  // On a phone the field may sit low on the screen: bring the whole list into view when it opens.
  useEffect(() => {
    if (shown) menu.current?.scrollIntoView({ block: "nearest" });
  }, [shown]);
  return (
    <>
      <ul className="combobox-listbox" {...getMenuProps({ ref: menu })} hidden={!shown}>
        {open
          ? items.map((item, index) => (
              <li
                key={item.value}
                className={`combobox-option${index === highlightedIndex ? " combobox-option-active" : ""}`}
                title={item.label}
                {...getItemProps({ item, index })}
              >
                {item.label}
              </li>
            ))
          : null}
      </ul>
      {open && items.length === 0 ? (
        <p className="combobox-empty" role="status">
          {empty}
        </p>
      ) : null}
    </>
  );
}

/**
 * A select with search, for long lists (organisations, people): type to filter, arrows and Enter to
 * choose, Escape to close. The value travels in a hidden input named `name`, so forms read it as they
 * read a <select>; the field's error and hint are wired to the visible input like every Field.
 */
export function ComboboxField({
  label,
  name,
  options,
  value,
  defaultValue = "",
  onChange,
  error,
  hint,
  optionalLabel,
  className,
  required,
  disabled,
  busy,
}: FrameProps & {
  name: string;
  options: ComboboxOption[];
  value?: string;
  defaultValue?: string;
  onChange?: (value: string) => void;
  required?: boolean;
  disabled?: boolean;
  busy?: boolean;
}) {
  const t = useT();
  const id = useId();
  const ids = { hint: `${id}-hint`, error: `${id}-error` };
  const [inner, setInner] = useState(defaultValue);
  const current = value ?? inner;
  const selected = options.find((o) => o.value === current) ?? null;
  // The text typed to filter; null while the input shows the chosen option (then every option is listed).
  const [query, setQuery] = useState<string | null>(null);
  const items = query === null ? options : options.filter((o) => matchesQuery(o.label, query));
  const keep = (state: UseComboboxState<ComboboxOption>, changes: Partial<UseComboboxState<ComboboxOption>>) => ({
    ...changes,
    selectedItem: state.selectedItem,
    inputValue: state.selectedItem?.label ?? "",
  });
  const { isOpen, highlightedIndex, getLabelProps, getInputProps, getMenuProps, getItemProps } = useCombobox<ComboboxOption>({
    items,
    selectedItem: selected,
    itemToString: (o) => o?.label ?? "",
    itemToKey: (o) => o?.value,
    inputId: `${id}-input`,
    labelId: `${id}-label`,
    menuId: `${id}-listbox`,
    onSelectedItemChange: ({ selectedItem }) => {
      const next = selectedItem?.value ?? "";
      setInner(next);
      onChange?.(next);
    },
    onInputValueChange: ({ inputValue, type }) => {
      if (type === useCombobox.stateChangeTypes.InputChange) setQuery(inputValue ?? "");
    },
    onIsOpenChange: ({ isOpen: open }) => {
      if (!open) setQuery(null);
    },
    stateReducer: (state, { type, changes }: UseComboboxStateChangeOptions<ComboboxOption>) => {
      const types = useCombobox.stateChangeTypes;
      // Leaving the field or Escape never changes the choice: the text typed to search goes back to the chosen name.
      if (type === types.InputBlur || type === types.InputKeyDownEscape) return keep(state, changes);
      return changes;
    },
  });
  return (
    <Frame
      {...{ label, error, hint, optionalLabel, className, ids }}
      labelProps={getLabelProps()}
      control={
        <>
          <input
            {...getInputProps({
              disabled,
              required,
              title: selected?.label,
              // The chosen name is selected on focus, so typing searches afresh instead of appending to it.
              onFocus: (event) => event.currentTarget.select(),
              "aria-invalid": error ? true : undefined,
              "aria-describedby": describedBy(ids, hint, error),
              "aria-busy": busy || undefined,
            })}
          />
          {/* Like a <select>: a value no longer among the options (or not loaded yet) is not sent. */}
          <input type="hidden" name={name} value={selected?.value ?? ""} />
        </>
      }
      list={
        <List
          open={isOpen}
          items={items}
          highlightedIndex={highlightedIndex}
          getMenuProps={getMenuProps}
          getItemProps={getItemProps}
          empty={busy ? t("common.loading") : t("combobox.noMatch")}
        />
      }
    />
  );
}

/**
 * Downshift types getInputProps for an <input>. Safe for a textarea: its handlers read only the
 * key, preventDefault and nativeEvent, which a textarea's events have too (its change handler is
 * skipped here), and the ref is a callback that takes any element.
 */
function asTextAreaProps(props: object): TextareaHTMLAttributes<HTMLTextAreaElement> {
  return props as TextareaHTMLAttributes<HTMLTextAreaElement>;
}

/** Where a trigger (`@`) starts before the caret, and what was typed after it. */
type Trigger = { start: number; query: string };

/** `@` at the start or after a space or bracket, then up to 40 characters on the same line, up to the caret. */
function findTrigger(text: string, caret: number): Trigger | null {
  const match = /(?:^|[\s(])@([^\n@]{0,40})$/u.exec(text.slice(0, caret));
  if (!match) return null;
  const query = match[1] ?? "";
  return { start: caret - query.length - 1, query };
}

/**
 * A textarea in which typing `@` opens a listbox of `options` filtered by what follows, as in chat apps:
 * arrows and Enter (or a tap) pick one, Escape closes it, other keys type as usual. The textarea keeps
 * its textbox role (a textarea may not be a combobox) with aria-controls and aria-activedescendant.
 * `onPick` returns the text that replaces the `@` and the query.
 */
export function TriggerTextAreaField({
  label,
  name,
  options,
  onOpen,
  onPick,
  busy,
  error,
  hint,
  optionalLabel,
  className,
  ...rest
}: FrameProps & {
  name: string;
  options: ComboboxOption[];
  /** Called the first time the listbox opens (load the options then). */
  onOpen?: () => void;
  onPick: (option: ComboboxOption) => string;
  busy?: boolean;
} & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "onChange" | "onKeyDown" | "onBlur" | "onClick">) {
  const t = useT();
  const id = useId();
  const ids = { hint: `${id}-hint`, error: `${id}-error` };
  const ref = useRef<HTMLTextAreaElement | null>(null);
  const [trigger, setTrigger] = useState<Trigger | null>(null);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [highlighted, setHighlighted] = useState(0);
  const items = trigger ? options.filter((o) => matchesQuery(o.label, trigger.query)) : [];
  // Open while something matches; with no match, only until a space (the person is writing on, not searching).
  const open = trigger !== null && trigger.start !== dismissed && (items.length > 0 || !/\s/u.test(trigger.query));

  const update = () => {
    const el = ref.current;
    if (!el) return;
    const next = el.selectionStart === el.selectionEnd ? findTrigger(el.value, el.selectionStart) : null;
    if (next && !trigger) onOpen?.();
    if (next?.query !== trigger?.query || next?.start !== trigger?.start) setHighlighted(0);
    setTrigger(next);
  };
  const pick = (option: ComboboxOption) => {
    const el = ref.current;
    if (!el || !trigger) return;
    el.setRangeText(onPick(option), trigger.start, trigger.start + trigger.query.length + 1, "end");
    setTrigger(null);
    el.focus();
  };

  const { getLabelProps, getInputProps, getMenuProps, getItemProps } = useCombobox<ComboboxOption>({
    items,
    isOpen: open,
    highlightedIndex: open && items.length > 0 ? Math.min(highlighted, items.length - 1) : -1,
    selectedItem: null,
    itemToString: (o) => o?.label ?? "",
    itemToKey: (o) => o?.value,
    inputId: `${id}-input`,
    labelId: `${id}-label`,
    menuId: `${id}-listbox`,
    onHighlightedIndexChange: ({ highlightedIndex: index }) => {
      if (index !== undefined && index >= 0) setHighlighted(index);
    },
    onIsOpenChange: ({ isOpen, type }) => {
      if (!isOpen && type === useCombobox.stateChangeTypes.InputKeyDownEscape && trigger) setDismissed(trigger.start);
    },
    onSelectedItemChange: ({ selectedItem }) => {
      if (selectedItem) pick(selectedItem);
    },
    // Leaving the textarea closes the list without picking what was highlighted.
    stateReducer: (state, { type, changes }) =>
      type === useCombobox.stateChangeTypes.InputBlur ? { ...changes, selectedItem: state.selectedItem } : changes,
  });
  // Downshift handles keys only while the list is open (closed, arrows and Enter edit the text as usual).
  const passKeys = (event: { key: string; nativeEvent: Event & { preventDownshiftDefault?: boolean } }) => {
    if (!open || (event.key === "Enter" && items.length === 0)) event.nativeEvent.preventDownshiftDefault = true;
  };
  const {
    value: _value,
    role: _role,
    "aria-expanded": _expanded,
    "aria-activedescendant": active,
    ...inputProps
  } = getInputProps({
    // Downshift types its input as an <input>; here it is the textarea (only its focus and blur are used).
    ref: (el: HTMLElement | null) => {
      ref.current = el instanceof HTMLTextAreaElement ? el : null;
    },
    onChange: (event) => {
      (event.nativeEvent as Event & { preventDownshiftDefault?: boolean }).preventDownshiftDefault = true;
      update();
    },
    onClick: (event) => {
      (event.nativeEvent as Event & { preventDownshiftDefault?: boolean }).preventDownshiftDefault = true;
      update();
    },
    onKeyDown: passKeys,
    onBlur: () => setTrigger(null),
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy(ids, hint, error),
    "aria-busy": (open && busy) || undefined,
  });
  return (
    <Frame
      {...{ label, error, hint, optionalLabel, className, ids }}
      labelProps={getLabelProps()}
      control={
        <textarea name={name} {...rest} {...asTextAreaProps(inputProps)} aria-activedescendant={active || undefined} autoComplete="off" />
      }
      list={
        <List
          open={open}
          items={items}
          highlightedIndex={open ? Math.min(highlighted, items.length - 1) : -1}
          getMenuProps={getMenuProps}
          getItemProps={getItemProps}
          empty={busy ? t("common.loading") : t("combobox.noMatch")}
        />
      }
    />
  );
}

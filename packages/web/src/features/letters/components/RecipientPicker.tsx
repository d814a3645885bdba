import type { Target } from "@samakki/shared/letters";
import { useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { Field, SelectField } from "../../../components/Field.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { ProvinceOptions, useProvinceName, useTargetName } from "./shared.tsx";

/**
 * Whether a recipient matches what was typed (any of its names, its party or its role) and the
 * province chosen. Every word typed must begin a word of theirs ("party a" is Party A, not every
 * name with an "a" in it); Khmer, written without spaces between words, matches anywhere.
 */
export function matchesRecipient(target: Target, query: string, province: string): boolean {
  if (province && target.province !== province) return false;
  const typed = query.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (typed.length === 0) return true;
  const text = [target.nameKm, target.nameEn, target.party, target.role].join(" ").toLocaleLowerCase();
  const words = text.split(/\s+/);
  return typed.every((word) => (/^[\p{Script=Latin}\d]+$/u.test(word) ? words.some((w) => w.startsWith(word)) : text.includes(word)));
}

/**
 * A letter's recipients, chosen from the coalition's directory (a parliament is over a hundred
 * people): found by name, party or role and by province; those chosen stay chosen whatever is shown.
 */
export function RecipientPicker({
  targets,
  chosen,
  onChange,
}: {
  targets: Target[];
  chosen: ReadonlySet<string>;
  onChange: (chosen: Set<string>) => void;
}) {
  const t = useT();
  const name = useTargetName();
  const provinceName = useProvinceName();
  const [query, setQuery] = useState("");
  const [province, setProvince] = useState("");
  // An archived recipient is offered only to the letter that already has it.
  const shown = targets.filter((target) => (!target.archived || chosen.has(target.id)) && matchesRecipient(target, query, province));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    onChange(next);
  };
  return (
    <>
      <div className="filters">
        <Field
          label={t("letters.actions.findRecipient")}
          name="recipientQuery"
          type="search"
          hint={t("letters.actions.findHint")}
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
          // Enter looks, it does not save the letter.
          onKeyDown={(e) => {
            if (e.key === "Enter") e.preventDefault();
          }}
        />
        <SelectField
          label={t("letters.targets.province")}
          name="recipientProvince"
          value={province}
          onChange={(e) => setProvince(e.currentTarget.value)}
        >
          <ProvinceOptions empty={t("letters.targets.anyProvince")} />
        </SelectField>
      </div>
      <p className="muted" aria-live="polite">
        {t("letters.actions.chosen", { count: chosen.size })}
      </p>
      <div className="form-actions">
        <Button
          variant="secondary"
          small
          disabled={shown.every((target) => chosen.has(target.id))}
          onClick={() => onChange(new Set([...chosen, ...shown.map((target) => target.id)]))}
        >
          {t("letters.actions.chooseShown", { count: shown.length })}
        </Button>
        <Button variant="link" small disabled={chosen.size === 0} onClick={() => onChange(new Set())}>
          {t("letters.actions.chooseNone")}
        </Button>
      </div>
      {shown.length === 0 ? <p className="muted">{t("letters.actions.noMatch")}</p> : null}
      {shown.map((target) => (
        <label key={target.id} className="check">
          <input
            type="checkbox"
            name="targetIds"
            value={target.id}
            checked={chosen.has(target.id)}
            onChange={(e) => toggle(target.id, e.currentTarget.checked)}
          />{" "}
          {name(target)}
          {target.party ? ` · ${target.party}` : ""}
          {target.province ? ` · ${provinceName(target.province)}` : ""}
          {target.archived ? ` · ${t("letters.targets.archived")}` : ""}
        </label>
      ))}
    </>
  );
}

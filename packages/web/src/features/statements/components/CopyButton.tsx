import { useEffect, useState } from "react";
import { Button } from "../../../components/Button.tsx";
import { useT } from "../../../lib/i18n.tsx";

/** Copies `value`; where the clipboard is unavailable, selects the element `targetId` so the person can copy it. */
export function CopyButton({ value, targetId, label }: { value: string; targetId: string; label?: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 4000);
    return () => clearTimeout(timer);
  }, [copied]);
  const selectTarget = () => {
    const el = document.getElementById(targetId);
    const selection = window.getSelection();
    if (!el || !selection) return;
    const range = document.createRange();
    range.selectNodeContents(el);
    selection.removeAllRanges();
    selection.addRange(range);
  };
  return (
    <>
      <Button
        variant="secondary"
        small
        aria-describedby={targetId}
        onClick={() => {
          if (navigator.clipboard) navigator.clipboard.writeText(value).then(() => setCopied(true), selectTarget);
          else selectTarget();
        }}
      >
        {label ?? t("votes.copy")}
      </Button>
      <span className="saved" role="status">
        {copied ? t("votes.copied") : ""}
      </span>
    </>
  );
}

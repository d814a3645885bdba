import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from "react";
import { useT } from "../lib/i18n.tsx";
import { Button } from "./Button.tsx";

type ConfirmRequest = {
  /** The question, e.g. "Close the vote now?". */
  title: string;
  /** What happens and what cannot be undone. */
  consequence: ReactNode;
  /** The label of the button that goes ahead, naming the action ("Close the vote"). */
  confirmLabel: string;
  /** Danger styling for the confirm button (default); `false` for actions that are final but not destructive. */
  danger?: boolean | undefined;
  /** The safe choice's label when "Cancel" would be ambiguous (e.g. when cancelling a vote). */
  cancelLabel?: string | undefined;
};

type Props = ConfirmRequest & { open: boolean; onConfirm: () => void; onCancel: () => void };

/**
 * The app's own confirmation for what cannot be undone (instead of `window.confirm`): a native modal
 * `<dialog>` with the question, its consequence and a button that names the action. Focus starts on
 * the safe choice (Cancel), and Escape cancels. Built like the ReauthDialog.
 */
function ConfirmDialog({ open, title, consequence, confirmLabel, cancelLabel, danger = true, onConfirm, onCancel }: Props) {
  const t = useT();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const id = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      dialog.querySelector<HTMLButtonElement>("[data-confirm-safe]")?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={dialogRef}
      className="dialog confirm-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-consequence`}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      {open ? (
        <>
          <h2 id={`${id}-title`}>{title}</h2>
          <div id={`${id}-consequence`} className="confirm-consequence">
            {typeof consequence === "string" ? <p>{consequence}</p> : consequence}
          </div>
          <div className="form-actions">
            <Button variant="secondary" onClick={onCancel} data-confirm-safe="">
              {cancelLabel ?? t("common.cancel")}
            </Button>
            <Button variant={danger ? "danger" : "primary"} onClick={onConfirm}>
              {confirmLabel}
            </Button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}

/**
 * `const [dialog, confirm] = useConfirm()`; render `dialog` once, then
 * `confirm({ title, consequence, confirmLabel }).then((ok) => ok && mutation.mutate())`.
 */
export function useConfirm(): [ReactNode, (request: ConfirmRequest) => Promise<boolean>] {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const resolveRef = useRef<((ok: boolean) => void) | null>(null);
  const finish = useCallback((ok: boolean) => {
    resolveRef.current?.(ok);
    resolveRef.current = null;
    setRequest(null);
  }, []);
  const ask = useCallback((next: ConfirmRequest) => {
    resolveRef.current?.(false);
    setRequest(next);
    return new Promise<boolean>((resolve) => {
      resolveRef.current = resolve;
    });
  }, []);
  useEffect(() => () => resolveRef.current?.(false), []);
  const dialog = (
    <ConfirmDialog
      open={request !== null}
      title={request?.title ?? ""}
      consequence={request?.consequence ?? ""}
      confirmLabel={request?.confirmLabel ?? ""}
      danger={request?.danger}
      cancelLabel={request?.cancelLabel}
      onConfirm={() => finish(true)}
      onCancel={() => finish(false)}
    />
  );
  return [dialog, ask];
}

/**
 * A small danger button that asks first (useConfirm) and calls `onConfirm` only once the person
 * agrees: the way to remove or delete one thing of a list (an activity, an update).
 */
export function ConfirmButton({
  label,
  pending,
  onConfirm,
  ...request
}: Omit<ConfirmRequest, "confirmLabel"> & {
  /** The button's label, which the dialog's confirm button repeats. */
  label: string;
  pending: boolean;
  onConfirm: () => void;
}) {
  const [dialog, confirm] = useConfirm();
  return (
    <>
      {dialog}
      <Button
        variant="danger"
        small
        pending={pending}
        onClick={() => {
          void confirm({ ...request, confirmLabel: label }).then((ok) => ok && onConfirm());
        }}
      >
        {label}
      </Button>
    </>
  );
}

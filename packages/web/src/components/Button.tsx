import type { ButtonHTMLAttributes } from "react";

type Props = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: "primary" | "secondary" | "danger" | "link";
  pending?: boolean;
  small?: boolean;
};

export function Button({
  variant = "primary",
  pending = false,
  small = false,
  className,
  type = "button",
  disabled,
  children,
  ...rest
}: Props) {
  const classes = ["btn", `btn-${variant}`, small ? "btn-small" : "", className ?? ""].filter(Boolean).join(" ");
  return (
    <button {...rest} type={type} className={classes} disabled={disabled || pending} aria-busy={pending || undefined}>
      {children}
    </button>
  );
}

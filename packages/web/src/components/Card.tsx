import type { ReactNode } from "react";

export function Card({
  title,
  children,
  actions,
  className,
  headingLevel = 2,
}: {
  title?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
  className?: string;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className={`card${className ? ` ${className}` : ""}`}>
      {title || actions ? (
        <div className="card-head">
          {title ? <Heading className="card-title">{title}</Heading> : null}
          {actions ? <div className="card-actions">{actions}</div> : null}
        </div>
      ) : null}
      {children}
    </section>
  );
}

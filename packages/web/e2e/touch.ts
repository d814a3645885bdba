/**
 * Touch targets for the browser tests (not a test file itself): every control a finger aims at in a
 * page's content is at least 44×44 CSS px on a touch screen (WCAG 2.5.5, and Apple's and Android's
 * guidance), measured in a context with `hasTouch`, where `(pointer: coarse)` applies the larger
 * sizes of styles.css and of the public pages' site.css.
 *
 * Measured: links, buttons, fields, selects, disclosures (<summary>) and the labels that wrap a
 * checkbox or radio (the label is the target; the box inside it is not measured on its own).
 * Left out, as WCAG 2.5.5 leaves them out:
 *   - a link inside a sentence (its block holds more text than the link): its size is the text's;
 *   - the app's header and anything outside <main> there: its controls are measured on their own,
 *     against 40 px (`smallHeaderTargets`, in the phone test, which holds the header to two rows of them);
 *   - hidden controls (no box), and the skip link until it is focused.
 */
import type { Page } from "playwright-core";

export const MIN_TARGET_PX = 44;

/** The controls of the page's <main> (the whole body when it has none) smaller than 44×44, each as "W×H tag.class “text”". */
export function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate((min) => {
    const scope = document.querySelector("main") ?? document.body;
    const selector = [
      "a[href]",
      "button",
      "input:not([type=hidden]):not([type=checkbox]):not([type=radio])",
      "select",
      "textarea",
      "summary",
      "label:has(> input[type=checkbox])",
      "label:has(> input[type=radio])",
      "input[type=checkbox]:not(label > input)",
      "input[type=radio]:not(label > input)",
    ].join(",");
    const small: string[] = [];
    for (const element of scope.querySelectorAll<HTMLElement>(selector)) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(element).visibility === "hidden") continue;
      if (element.tagName === "A" && getComputedStyle(element).display === "inline") {
        // In a sentence: the block its line belongs to (the nearest ancestor that is not inline) says more than the link does.
        let block = element.parentElement;
        while (block && getComputedStyle(block).display === "inline") block = block.parentElement;
        const own = (element.textContent ?? "").trim().length;
        if (block && (block.textContent ?? "").trim().length > own + 2) continue;
      }
      // Half a pixel of rounding: a 2.75rem box at a 16 px root is 44 px exactly.
      if (box.width + 0.5 >= min && box.height + 0.5 >= min) continue;
      const name = (element.textContent || element.getAttribute("aria-label") || element.getAttribute("name") || "").trim().slice(0, 40);
      const classes =
        typeof element.className === "string" && element.className ? `.${element.className.trim().split(/\s+/).join(".")}` : "";
      small.push(`${Math.round(box.width)}×${Math.round(box.height)} ${element.tagName.toLowerCase()}${classes} “${name}”`);
    }
    return small;
  }, MIN_TARGET_PX);
}

/** The signed-in header's own minimum: two rows of 40 px targets keep it to 80 px on a phone. */
export const MIN_HEADER_TARGET_PX = 40;

/**
 * The signed-in header's controls (logo, coalition name or switch, languages, bell, account menu,
 * tabs) smaller than 40×40 CSS px, each as "W×H tag.class “text”"; the account menu's panel, closed,
 * has no box. A tab scrolled out of the strip is measured too: it is as tall as the others.
 */
export function smallHeaderTargets(page: Page): Promise<string[]> {
  return page.evaluate((min) => {
    const header = document.querySelector("header.topbar");
    if (!header) return ["no header"];
    const small: string[] = [];
    for (const element of header.querySelectorAll<HTMLElement>("a[href], button, select, summary")) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(element).visibility === "hidden") continue;
      if (box.width + 0.5 >= min && box.height + 0.5 >= min) continue;
      const name = (element.getAttribute("aria-label") || element.textContent || "").trim().slice(0, 40);
      const classes =
        typeof element.className === "string" && element.className ? `.${element.className.trim().split(/\s+/).join(".")}` : "";
      small.push(`${Math.round(box.width)}×${Math.round(box.height)} ${element.tagName.toLowerCase()}${classes} “${name}”`);
    }
    return small;
  }, MIN_HEADER_TARGET_PX);
}

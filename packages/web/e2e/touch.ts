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
 *   - the app's header (its own phone test holds it to 64 px: its controls are 30 px, above WCAG
 *     2.5.8's 24 px minimum, with space between them) and anything outside <main> there;
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

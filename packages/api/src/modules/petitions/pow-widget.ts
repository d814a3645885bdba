/**
 * The proof-of-work widget of the petition form (`/public/petition-pow.js`, about 1 KiB): fetch a
 * challenge, find the number with WebCrypto SHA-256 in small batches (the page stays responsive
 * on a slow phone), put the ALTCHA payload in the hidden `altcha` field. A submit before it is
 * done waits for it. Without JavaScript, or without WebCrypto, the form is sent as it is and the
 * server applies its stricter limit. While it works, its status line says so: the line is on the
 * page from the start and only shown then (`.pow-status` in site.css.ts), so that the "Sign" button
 * below it does not move when the work starts and ends. The full `altcha` web component (~40 KiB
 * with its styles) would not fit the page's 60 KiB budget beside the Khmer font, so this one is ours.
 */
export const POW_WIDGET_JS = `(function(){
var f=document.querySelector("form[data-pow-url]");if(!f||!window.crypto||!crypto.subtle||!window.fetch)return;
var input=f.querySelector("input[name=altcha]"),status=f.querySelector("[data-pow-status]"),done=null,submitting=false;
function hex(b){var a=new Uint8Array(b),s="";for(var i=0;i<a.length;i++)s+=(a[i]<16?"0":"")+a[i].toString(16);return s}
function solve(c){var enc=new TextEncoder();return new Promise(function(res,rej){var n=0;function step(){var batch=[];for(var k=0;k<200&&n<=c.maxnumber;k++,n++)batch.push(n);
if(!batch.length)return rej(new Error("unsolved"));Promise.all(batch.map(function(i){return crypto.subtle.digest("SHA-256",enc.encode(c.salt+i))})).then(function(hs){
for(var j=0;j<hs.length;j++)if(hex(hs[j])===c.challenge)return res(batch[j]);setTimeout(step,0)},rej)}step()})}
if(status)status.classList.add("working");
done=fetch(f.getAttribute("data-pow-url"),{credentials:"omit",cache:"no-store"}).then(function(r){if(!r.ok)throw new Error("challenge");return r.json()}).then(function(c){
return solve(c).then(function(n){input.value=btoa(JSON.stringify({algorithm:c.algorithm,challenge:c.challenge,number:n,salt:c.salt,signature:c.signature}))})})
.catch(function(){input.value=""}).then(function(){if(status)status.classList.remove("working")});
f.addEventListener("submit",function(e){if(submitting||input.value)return;e.preventDefault();submitting=true;done.then(function(){f.submit()})});
})();`;

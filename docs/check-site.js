'use strict'
// Checks the built site (argument: its folder) for what Antora itself does not report: a link or image whose
// target file is missing, a link to an anchor that its page does not have, and an xref Antora left unresolved.
// Prints each problem and exits 1 if there is any.
const fs = require('fs')
const path = require('path')

const root = path.resolve(process.argv[2] || 'target/site')
const pages = []
;(function walk (dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) walk(file)
    else if (entry.name.endsWith('.html')) pages.push(file)
  }
})(root)

const ids = new Map()
const idsOf = (file) => {
  if (!ids.has(file)) {
    const found = new Set()
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/\sid="([^"]+)"/g)) found.add(m[1])
    ids.set(file, found)
  }
  return ids.get(file)
}
const decode = (s) => s.replace(/&amp;/g, '&').replace(/&#8217;/g, '\u2019')

const problems = []
let links = 0
for (const page of pages) {
  const html = fs.readFileSync(page, 'utf8')
  const where = path.relative(root, page)
  for (const m of html.matchAll(/<a [^>]*class="[^"]*\bunresolved\b[^"]*"[^>]*>/g)) {
    problems.push(`${where}: unresolved xref ${m[0]}`)
  }
  for (const m of html.matchAll(/\s(href|src)="([^"]*)"/g)) {
    const url = decode(m[2])
    if (/^(https?:|mailto:|data:)/.test(url)) continue
    links++
    const [file, fragment] = url.split('#')
    const target = file ? path.resolve(path.dirname(page), decodeURIComponent(file)) : page
    if (!target.startsWith(root) || !fs.existsSync(target) || fs.statSync(target).isDirectory()) {
      problems.push(`${where}: ${m[1] === 'src' ? 'missing image or file' : 'broken link'} ${url}`)
    } else if (fragment && target.endsWith('.html') && !idsOf(target).has(decodeURIComponent(fragment))) {
      problems.push(`${where}: link to a missing anchor ${url}`)
    }
  }
}
if (pages.length === 0) problems.push(`no pages under ${root}`)
for (const problem of problems) console.error(`check-site: ${problem}`)
console.log(`check-site: ${pages.length} pages, ${links} links and images checked, ${problems.length} problems`)
process.exit(problems.length ? 1 : 0)

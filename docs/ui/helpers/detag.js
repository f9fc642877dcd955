'use strict'

// a page title as plain text, for the <title> element
module.exports = (html) => html && html.replace(/<[^>]+>/g, '')

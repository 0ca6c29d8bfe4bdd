// Package markdown renders fetched HTML pages in the formats beside their text: the article
// (or the whole page) as CommonMark with GFM tables, every link of the page, and the
// metadata of its head (publication date, canonical URL, language). It implements
// ports.PageRenderer with github.com/JohannesKaufmann/html-to-markdown/v2 for the markdown
// and go-readability for finding the article.
package markdown

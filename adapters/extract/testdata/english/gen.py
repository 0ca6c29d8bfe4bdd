# Generates the English dev set (pages and their article text) from the invented content
# in topics.py and own.py: python3 gen.py <dir>. Deterministic (seeded per page).
import html, random, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from topics import TOPICS
from own import DOCS, FORUMS, PRODUCTS
OUT = sys.argv[1]
E = html.escape

# Boilerplate vocabularies. Tuning pages draw from the first part of each list, held-out
# pages from the rest, so a rule keyed on one name seen in tuning does not carry over.
def pick(rng, lst, held):
    cut = max(1, (len(lst) * 2) // 3)
    return rng.choice(lst[cut:] if held and len(lst) > cut else lst[:cut])

REL_CLS = ["related-posts", "jp-relatedposts", "more-stories", "recirc-module", "also-read", "story-list inline", "read-next", "c-related", "yarpp", "crp_related"]
NL_CLS = ["newsletter-signup", "nl-box", "subscribe-widget", "email-capture", "inline-signup", "mc4wp-form", "optin-panel", "cta-subscribe", "sign-up-module"]
SHARE_CLS = ["share-bar", "social-share", "sharedaddy", "share-tools", "addtoany_share", "sharing-buttons", "c-social", "post-share", "sb-links"]
BIO_CLS = ["author-bio", "about-author", "byline-card", "contributor-box", "writer-info", "c-author", "post-author-box", "profile-card", "authorbox"]
AD_CLS = ["ad-slot", "advert", "ad-container", "dfp-unit", "sponsored", "promo-unit", "adsbygoogle-wrap", "mpu", "gpt-ad"]
CAP_CLS = ["caption", "wp-caption-text", "image-caption", "media-caption", "photo-credit", "figure__caption", "c-caption", "img-desc", "pic-note"]
COMMENT_CLS = ["comments", "comment-list", "discussion", "responses", "c-comments", "reader-comments"]

RELATED_TITLES = ["Why the harbour wall keeps cracking", "Five questions about the new parking rules", "Inside the city's oldest bakery",
 "The long fight over the river crossing", "A guide to this summer's free concerts", "What the census says about our streets",
 "The volunteers who keep the towpath clear", "How to read your water bill", "Opinion: we need more benches, not fewer",
 "Ten years of the night market", "A quiet revolution in the allotments", "The map that changed how we commute"]
CAPTIONS = ["The reading room before the works began. Photo: Staff photographer", "Volunteers at work on Saturday morning. (Archive image)",
 "A view from the north side. Credit: Handout", "Visitors queue outside on the opening day. Photograph by a staff photographer",
 "The site as it looked in 2019. Image courtesy of the local history society", "Workers sort material by hand. Photo credit: Company handout"]
NL_TEXTS = [("Get the morning briefing", "Sign up for our free newsletter and get the day's top stories in your inbox every morning.", "Sign up"),
 ("Never miss a post", "Join 12,000 readers who get new essays by email. No spam, unsubscribe at any time.", "Subscribe"),
 ("Enjoying this?", "Subscribe to get the weekly digest of our best reporting, free.", "Join now"),
 ("Stay in the loop", "Enter your email address to receive notifications of new posts by email.", "Follow")]
BIOS = ["{a} is a staff writer covering cities, transport and the environment. Before joining the paper she reported for regional radio.",
 "{a} writes about food, work and the places where they meet. His first book is out next spring.",
 "{a} has been writing this blog since 2012. When not at the keyboard, she can usually be found on a hillside with a flask of tea.",
 "About the author: {a} is a freelance journalist and the editor of a small quarterly magazine about everyday things."]
AUTHORS = ["Hannah Obi", "Tomas Varga", "Elin Moreau", "Sam Adeyemi", "Ruth Kowalczyk", "Danny Iwu", "Grace Lindahl", "Omar Haddad"]
COMMENTS = ["Great piece, thank you for writing this.", "I disagree with the part about the budget, the numbers do not add up for smaller districts.",
 "We went last weekend and it was lovely, highly recommend.", "Does anyone know whether this applies to the northern suburbs too?",
 "This is exactly what I needed to read today.", "Shared with my neighbours, thanks."]

def esc(s): return E(s, quote=False)

def body_blocks(blocks, p_tag="p", h_tag="h2", quote_tag="blockquote", attrs=""):
    """Returns a list of (html, text) for article blocks."""
    out = []
    for b in blocks:
        if isinstance(b, str):
            out.append((f"<{p_tag}{attrs}>{esc(b)}</{p_tag}>", b))
        elif b[0] == "h":
            out.append((f"<{h_tag}>{esc(b[1])}</{h_tag}>", b[1]))
        elif b[0] == "list":
            lis = "".join(f"<li>{esc(x)}</li>" for x in b[1])
            out.append((f"<ul>{lis}</ul>", "\n".join(b[1])))
        elif b[0] == "quote":
            out.append((f"<{quote_tag}><p>{esc(b[1])}</p></{quote_tag}>", b[1]))
        elif b[0] == "code":
            out.append((f"<pre><code>{esc(b[1])}</code></pre>", b[1]))
        elif b[0] == "note":
            out.append((f"<div class=\"admonition note\"><p class=\"admonition-title\">Note</p><p>{esc(b[1])}</p></div>", "Note\n\n" + b[1]))
    return out

def related_list(rng, held, heading=True, excerpts=False):
    cls = pick(rng, REL_CLS, held)
    titles = rng.sample(RELATED_TITLES, rng.choice([3, 4]))
    hd = rng.choice(["Related", "Related stories", "You might also like", "More on this", "Read next", "Recommended"])
    tag = rng.choice(["div", "aside", "section"])
    items = []
    for t in titles:
        ex = f"<p>{esc(rng.choice(['A look at what changed, and why.', 'Our reporter spent a week finding out.', 'The answers may surprise you.']))}</p>" if excerpts else ""
        items.append(f"<li><a href=\"/{t[:8].replace(' ', '-').lower()}\">{esc(t)}</a>{ex}</li>")
    h = f"<h3>{hd}</h3>" if heading else ""
    return f"<{tag} class=\"{cls}\">{h}<ul>{''.join(items)}</ul></{tag}>"

def read_more(rng):
    t = rng.choice(RELATED_TITLES)
    lab = rng.choice(["Read more:", "RELATED:", "Also read:", "See also:", "READ MORE", "Related:"])
    return f"<p><strong>{lab}</strong> <a href=\"/x\">{esc(t)}</a></p>"

def figure(rng, held, kind=None):
    cap = rng.choice(CAPTIONS)
    cls = pick(rng, CAP_CLS, held)
    kind = kind or rng.choice(["figcaption", "div", "p"])
    if kind == "figcaption":
        return f"<figure class=\"wp-block-image\"><img src=\"/i.jpg\" alt=\"\"><figcaption>{esc(cap)}</figcaption></figure>"
    if kind == "div":
        return f"<div class=\"media\"><img src=\"/i.jpg\" alt=\"\"><div class=\"{cls}\">{esc(cap)}</div></div>"
    return f"<p class=\"{cls}\"><img src=\"/i.jpg\" alt=\"\"><br><em>{esc(cap)}</em></p>"

def newsletter(rng, held):
    h, p, b = rng.choice(NL_TEXTS)
    cls = pick(rng, NL_CLS, held)
    return f"<div class=\"{cls}\"><h4>{esc(h)}</h4><p>{esc(p)}</p><form><input type=\"email\" placeholder=\"Email address\"><button>{b}</button></form></div>"

def share(rng, held):
    cls = pick(rng, SHARE_CLS, held)
    nets = rng.sample(["Facebook", "Twitter", "LinkedIn", "Email", "WhatsApp", "Reddit", "Copy link"], 4)
    lab = rng.choice(["Share this:", "Share", "Share this article", ""])
    return f"<div class=\"{cls}\">{('<span>' + lab + '</span>') if lab else ''}<ul>" + "".join(f"<li><a href=\"#\">{n}</a></li>" for n in nets) + "</ul></div>"

def bio(rng, held, author):
    cls = pick(rng, BIO_CLS, held)
    return f"<div class=\"{cls}\"><img src=\"/a.jpg\" alt=\"\"><h4><a href=\"/author\">{author}</a></h4><p>{esc(rng.choice(BIOS).format(a=author))}</p><a href=\"/author\">View all posts</a></div>"

def ad(rng, held):
    cls = pick(rng, AD_CLS, held)
    return rng.choice([f"<div class=\"{cls}\"><span>Advertisement</span></div>",
                       f"<div class=\"{cls}\">ADVERTISEMENT<div id=\"div-gpt-{rng.randint(1,99)}\"></div></div>",
                       f"<div class=\"{cls}\"><p>Sponsored: Try our meal kits free for two weeks. Order now and save 50 percent.</p></div>"])

def comments(rng, held):
    cls = pick(rng, COMMENT_CLS, held)
    cs = rng.sample(COMMENTS, 3)
    items = "".join(f"<li class=\"comment\"><div class=\"comment-author\"><b>{rng.choice(AUTHORS)}</b> says:</div><div class=\"comment-meta\">March {rng.randint(1,28)}, 2024 at {rng.randint(1,12)}:{rng.randint(10,59)} pm</div><p>{esc(c)}</p><a href=\"#\">Reply</a></li>" for c in cs)
    return f"<div id=\"comments\" class=\"{cls}\"><h3>{len(cs)} Responses</h3><ol>{items}</ol><div id=\"respond\"><h3>Leave a Reply</h3><form><textarea></textarea><button>Post Comment</button></form></div></div>"

def cookie(rng):
    return rng.choice(["<div id=\"cookie-notice\" class=\"cookie-banner\"><p>We use cookies to personalise content and ads and to analyse our traffic. By continuing you agree to our use of cookies.</p><button>Accept</button><a href=\"/privacy\">Learn more</a></div>",
                       "<div class=\"gdpr-consent\" role=\"dialog\"><p>This site uses cookies. Manage your preferences or accept all to continue.</p><a href=\"#\">Manage preferences</a></div>"])

def nav(rng, site):
    items = rng.sample(["Home", "News", "Local", "Business", "Sport", "Culture", "Opinion", "Lifestyle", "Travel", "About", "Contact"], 7)
    return f"<header class=\"site-header\"><a class=\"logo\" href=\"/\">{site}</a><nav><ul>" + "".join(f"<li><a href=\"/{i.lower()}\">{i}</a></li>" for i in items) + "</ul></nav></header>"

def footer(site):
    return f"<footer class=\"site-footer\"><p>&copy; 2024 {site}. All rights reserved.</p><ul><li><a href=\"/privacy\">Privacy</a></li><li><a href=\"/terms\">Terms</a></li><li><a href=\"/contact\">Contact</a></li></ul></footer>"

def sidebar(rng, held):
    return "<aside class=\"sidebar widget-area\"><section class=\"widget\"><h3>Most read</h3><ol>" + "".join(f"<li><a href=\"#\">{esc(t)}</a></li>" for t in rng.sample(RELATED_TITLES, 5)) + "</ol></section><section class=\"widget\"><h3>Archives</h3><ul><li><a href=\"#\">March 2024</a></li><li><a href=\"#\">February 2024</a></li></ul></section></aside>"

def page(title, site, body, lang="en"):
    return f"<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{esc(title)} | {site}</title>\n<meta name=\"viewport\" content=\"width=device-width\">\n<script>window.dataLayer=[];</script>\n</head>\n<body>\n{body}\n<script src=\"/js/app.js\"></script>\n</body>\n</html>\n"

def interleave(rng, blocks, inserts):
    """Places each insert after a random block (not after the last), returns html list."""
    n = len(blocks)
    pos = {}
    for ins in inserts:
        k = rng.randint(1, max(1, n - 2))
        pos.setdefault(k, []).append(ins)
    out = []
    for i, (h, _) in enumerate(blocks):
        out.append(h)
        out.extend(pos.get(i, []))
    return out

def text_of(blocks, lead=None):
    parts = ([lead] if lead else []) + [t for _, t in blocks]
    return "\n\n".join(parts)

# ---- templates: each returns (html, expected text) ----
def t_wordpress(rng, tp, held):
    site = "Hillside Notes"
    blocks = body_blocks(([tp["lead"]]) + tp["paras"])
    author = rng.choice(AUTHORS)
    ins = [figure(rng, held), ad(rng, held)] + ([read_more(rng)] if rng.random() < .6 else [])
    inner = interleave(rng, blocks, ins)
    post = (f"<article id=\"post-{rng.randint(100,999)}\" class=\"post type-post status-publish hentry\"><header class=\"entry-header\"><h1 class=\"entry-title\">{esc(tp['title'])}</h1>"
            f"<div class=\"entry-meta\"><span class=\"posted-on\">Posted on <time>March 3, 2024</time></span> <span class=\"byline\">by <a href=\"/author\">{author}</a></span></div></header>"
            f"<div class=\"entry-content\">{''.join(inner)}{share(rng, held)}{related_list(rng, held)}</div>"
            f"<footer class=\"entry-footer\"><span class=\"cat-links\">Posted in <a href=\"#\">Local</a></span> <span class=\"tags-links\">Tagged <a href=\"#\">community</a>, <a href=\"#\">city</a></span></footer></article>"
            f"{bio(rng, held, author)}<nav class=\"post-navigation\"><a href=\"#\">&larr; Previous post</a> <a href=\"#\">Next post &rarr;</a></nav>{comments(rng, held)}")
    body = cookie(rng) + nav(rng, site) + f"<div id=\"content\" class=\"site-content\"><main id=\"main\">{post}</main>{sidebar(rng, held)}</div>" + footer(site)
    return page(tp["title"], site, body), text_of(blocks)

def t_news(rng, tp, held):
    site = "The Evening Ledger"
    blocks = body_blocks(tp["paras"])
    author = rng.choice(AUTHORS)
    ins = [ad(rng, held), read_more(rng), related_list(rng, held, heading=rng.random() < .5), figure(rng, held)]
    if rng.random() < .5:
        ins.append(newsletter(rng, held))
    inner = interleave(rng, blocks, ins)
    dek_cls = rng.choice(["standfirst", "dek", "article-summary", "sub-headline", "intro"])
    art = (f"<article class=\"article\"><header><div class=\"kicker\"><a href=\"#\">Local news</a></div><h1>{esc(tp['title'])}</h1>"
           f"<p class=\"{dek_cls}\">{esc(tp['lead'])}</p>"
           f"<div class=\"byline\">By <a href=\"#\">{author}</a> | Updated 9:14 a.m. March 12, 2024</div>{share(rng, held)}</header>"
           f"{figure(rng, held, 'figcaption')}"
           f"<div class=\"article-body\" itemprop=\"articleBody\">{''.join(inner)}</div>"
           f"<div class=\"tags\">Topics: <a href=\"#\">City</a> <a href=\"#\">Transport</a></div>"
           f"<div class=\"support-us\"><p>Support independent local journalism. Subscribe today for just 1 dollar a week.</p><a href=\"#\">Subscribe</a></div></article>")
    body = nav(rng, site) + f"<main>{art}{related_list(rng, held, excerpts=True)}</main>" + sidebar(rng, held) + footer(site)
    return page(tp["title"], site, body), text_of(blocks, tp["lead"])

def t_substack(rng, tp, held):
    site = rng.choice(["The Weekly Ledger", "Slow Money Letters", "Field Notes"])
    blocks = body_blocks(tp["paras"])
    sub = (f"<div class=\"subscription-widget-wrap\"><div class=\"subscription-widget\"><p class=\"cta-caption\">Thanks for reading {site}! Subscribe for free to receive new posts and support my work.</p>"
           f"<form><input type=\"email\" placeholder=\"Type your email...\"><button>Subscribe</button></form></div></div>")
    sharebtn = "<p class=\"button-wrapper\"><a class=\"button primary\" href=\"#\"><span>Share</span></a></p>"
    ins = [sub, figure(rng, held, "figcaption")] + ([sharebtn] if rng.random() < .7 else [])
    inner = interleave(rng, blocks, ins)
    author = rng.choice(AUTHORS)
    post = (f"<div class=\"post-header\"><h1 class=\"post-title\">{esc(tp['title'])}</h1><h3 class=\"subtitle\">{esc(tp['lead'])}</h3>"
            f"<div class=\"post-meta\"><a href=\"#\">{author}</a> <span>Mar 9, 2024</span></div><div class=\"post-ufi\"><a href=\"#\">42</a> <a href=\"#\">7</a> <a href=\"#\">Share</a></div></div>"
            f"<div class=\"available-content\"><div class=\"body markup\" dir=\"auto\">{''.join(inner)}</div></div>"
            f"<div class=\"post-footer\"><div class=\"subscription-widget-wrap\"><p>Subscribe to {site}</p><p>By {author} · Launched 3 years ago</p><p>Notes on money, work and the small decisions in between.</p><form><input type=\"email\"><button>Subscribe</button></form></div>"
            f"<div class=\"post-ufi\"><a href=\"#\">42 Likes</a> <a href=\"#\">7 Restacks</a></div></div>{comments(rng, held)}")
    body = f"<div class=\"topbar\"><a href=\"/\">{site}</a> <a href=\"#\">Subscribe</a> <a href=\"#\">Sign in</a></div><div class=\"single-post-container\"><article class=\"post newsletter-post\">{post}</article></div><div class=\"footer\"><p>&copy; 2024 {author}</p><p><a href=\"#\">Privacy</a> ∙ <a href=\"#\">Terms</a> ∙ <a href=\"#\">Collection notice</a></p><p>Start writing</p></div>"
    # Subtitle: a newsletter's subtitle is its lead, kept in the ground truth.
    return page(tp["title"], site, body), text_of(blocks, tp["lead"])

def rnd_cls(rng):
    return " ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(2)) for _ in range(rng.randint(2, 5)))

def t_medium(rng, tp, held):
    site = "Medley"
    blocks = []
    for b in [tp["lead"]] + tp["paras"]:
        c = rnd_cls(rng)
        if isinstance(b, str):
            blocks.append((f"<p class=\"pw-post-body-paragraph {c}\" data-selectable-paragraph=\"\">{esc(b)}</p>", b))
        elif b[0] == "h":
            blocks.append((f"<h2 class=\"{c}\" data-selectable-paragraph=\"\">{esc(b[1])}</h2>", b[1]))
        elif b[0] == "list":
            blocks.append(("<ul>" + "".join(f"<li class=\"{rnd_cls(rng)}\">{esc(x)}</li>" for x in b[1]) + "</ul>", "\n".join(b[1])))
        else:
            blocks.append((f"<blockquote class=\"{c}\"><p>{esc(b[1])}</p></blockquote>", b[1]))
    author = rng.choice(AUTHORS)
    fig = f"<figure class=\"{rnd_cls(rng)}\"><div class=\"{rnd_cls(rng)}\"><picture><img src=\"/m.jpg\" alt=\"\"></picture></div><figcaption class=\"{rnd_cls(rng)}\">{esc(rng.choice(CAPTIONS))}</figcaption></figure>"
    inner = interleave(rng, blocks, [fig])
    head = (f"<div class=\"{rnd_cls(rng)}\"><h1 class=\"pw-post-title {rnd_cls(rng)}\">{esc(tp['title'])}</h1>"
            f"<div class=\"{rnd_cls(rng)}\"><a href=\"#\">{author}</a> <span>·</span> <a href=\"#\">Follow</a></div><div class=\"{rnd_cls(rng)}\"><span>7 min read</span> <span>·</span> <span>Mar 2, 2024</span></div>"
            f"<div class=\"{rnd_cls(rng)}\"><span>1.2K</span> <span>18</span> <button>Listen</button> <button>Share</button></div></div>")
    more = (f"<div class=\"{rnd_cls(rng)}\"><h2>Written by {author}</h2><p>{rng.randint(200,9000)} Followers</p><p>{esc(rng.choice(BIOS).format(a=author))}</p><a href=\"#\">Follow</a></div>"
            f"<div class=\"{rnd_cls(rng)}\"><h2>More from {author}</h2>" + "".join(f"<div class=\"{rnd_cls(rng)}\"><a href=\"#\"><h2>{esc(t)}</h2></a><p>{rng.randint(3,12)} min read · Feb {rng.randint(1,28)}</p></div>" for t in rng.sample(RELATED_TITLES, 3)) +
            "</div><div><h2>Recommended from Medley</h2>" + "".join(f"<div><a href=\"#\"><h2>{esc(t)}</h2></a><p>{rng.randint(1,9)}.{rng.randint(0,9)}K claps</p></div>" for t in rng.sample(RELATED_TITLES, 3)) + "</div>")
    body = f"<div id=\"root\"><div class=\"{rnd_cls(rng)}\"><nav><a href=\"/\">Medley</a> <a href=\"#\">Write</a> <a href=\"#\">Sign up</a> <a href=\"#\">Sign in</a></nav></div><article><div class=\"{rnd_cls(rng)}\"><section>{head}{''.join(inner)}</section></div></article><div class=\"{rnd_cls(rng)}\"><span>1.2K</span> <span>18</span></div><div class=\"{rnd_cls(rng)}\"><a href=\"#\">Personal Finance</a> <a href=\"#\">Productivity</a> <a href=\"#\">Life</a></div>{more}</div>"
    return page(tp["title"], site, body), text_of(blocks)

def t_blogger(rng, tp, held):
    site = "Ramblings from the Valley"
    # Blogger posts often separate paragraphs with <br><br> rather than <p>.
    parts, texts = [], []
    for b in [tp["lead"]] + tp["paras"]:
        if isinstance(b, str):
            parts.append(esc(b) + "<br><br>")
            texts.append(b)
        elif b[0] == "h":
            parts.append(f"<b>{esc(b[1])}</b><br><br>")
            texts.append(b[1])
        elif b[0] == "list":
            parts.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in b[1]) + "</ul>")
            texts.append("\n".join(b[1]))
        else:
            parts.append(f"<blockquote>{esc(b[1])}</blockquote>")
            texts.append(b[1])
    k = rng.randint(2, len(parts) - 2)
    cap = f"<table class=\"tr-caption-container\"><tr><td><a href=\"#\"><img src=\"/b.jpg\"></a></td></tr><tr><td class=\"tr-caption\">{esc(rng.choice(CAPTIONS))}</td></tr></table>"
    parts.insert(k, cap)
    author = rng.choice(AUTHORS)
    post = (f"<div class=\"date-outer\"><h2 class=\"date-header\"><span>Saturday, 9 March 2024</span></h2><div class=\"post hentry\"><h3 class=\"post-title entry-title\">{esc(tp['title'])}</h3>"
            f"<div class=\"post-body entry-content\">{''.join(parts)}</div>"
            f"<div class=\"post-footer\"><span class=\"post-author\">Posted by {author}</span> at <a class=\"timestamp-link\" href=\"#\">10:42</a> <span class=\"post-comment-link\"><a href=\"#\">3 comments</a></span>"
            f"<div class=\"post-share-buttons\"><a href=\"#\">Email This</a><a href=\"#\">BlogThis!</a><a href=\"#\">Share to X</a><a href=\"#\">Share to Facebook</a><a href=\"#\">Share to Pinterest</a></div>"
            f"<span class=\"post-labels\">Labels: <a href=\"#\">home</a>, <a href=\"#\">notes</a></span></div></div></div>"
            f"<div class=\"comments\" id=\"comments\"><h4>3 comments:</h4><dl>" + "".join(f"<dt>{rng.choice(AUTHORS)} said...</dt><dd><p>{esc(c)}</p></dd><dd class=\"comment-footer\">9 March 2024 at 14:0{i}</dd>" for i, c in enumerate(rng.sample(COMMENTS, 3))) + "</dl><p><a href=\"#\">Post a Comment</a></p></div>"
            f"<div class=\"blog-pager\"><a href=\"#\">Newer Post</a> <a href=\"#\">Older Post</a> <a href=\"#\">Home</a></div><div class=\"post-feeds\">Subscribe to: <a href=\"#\">Post Comments (Atom)</a></div>")
    body = f"<div class=\"header\"><h1><a href=\"/\">{site}</a></h1><p>Walks, bread and everything in between</p></div><div class=\"main-inner\"><div class=\"column-center\">{post}</div><div class=\"column-right\"><h2>About Me</h2><p>{author}</p><a href=\"#\">View my complete profile</a><h2>Blog Archive</h2><ul><li>2024 (12)</li><li>2023 (31)</li></ul></div></div><div class=\"footer\">Powered by Blogger.</div>"
    return page(tp["title"], site, body), "\n\n".join(texts)

def t_ghost(rng, tp, held):
    site = "Common Ground"
    blocks = body_blocks(tp["paras"])
    t = rng.choice(RELATED_TITLES)
    bm = (f"<figure class=\"kg-card kg-bookmark-card\"><a class=\"kg-bookmark-container\" href=\"#\"><div class=\"kg-bookmark-content\"><div class=\"kg-bookmark-title\">{esc(t)}</div>"
          f"<div class=\"kg-bookmark-description\">A look back at what we learned last year.</div><div class=\"kg-bookmark-metadata\"><span class=\"kg-bookmark-author\">{site}</span></div></div></a></figure>")
    img = f"<figure class=\"kg-card kg-image-card kg-card-hascaption\"><img src=\"/g.jpg\" class=\"kg-image\" alt=\"\"><figcaption><span>{esc(rng.choice(CAPTIONS))}</span></figcaption></figure>"
    inner = interleave(rng, blocks, [bm, img] + ([ad(rng, held)] if rng.random() < .4 else []))
    author = rng.choice(AUTHORS)
    cta = (f"<aside class=\"gh-cta\"><h3>This post is for subscribers</h3><p>Become a member to get new posts in your inbox and join the conversation.</p><a href=\"#\">Subscribe now</a></aside>")
    art = (f"<article class=\"gh-article post\"><header class=\"gh-article-header\"><span class=\"gh-article-tag\">Features</span><h1 class=\"gh-article-title\">{esc(tp['title'])}</h1>"
           f"<p class=\"gh-article-excerpt\">{esc(tp['lead'])}</p><div class=\"gh-article-meta\"><a href=\"#\">{author}</a> <time>Mar 5, 2024</time> <span>— 5 min read</span></div></header>"
           f"<section class=\"gh-content gh-canvas\">{''.join(inner)}</section>{cta}</article>"
           f"<section class=\"gh-read-next\"><h3>Read next</h3>" + "".join(f"<article class=\"post-card\"><a href=\"#\"><h2 class=\"post-card-title\">{esc(x)}</h2><p class=\"post-card-excerpt\">Short notes from the neighbourhood.</p></a><footer>Mar {rng.randint(1,28)}, 2024 — 4 min read</footer></article>" for x in rng.sample(RELATED_TITLES, 3)) + "</section>")
    body = f"<div class=\"gh-site\"><header class=\"gh-head\"><a href=\"/\">{site}</a><nav><a href=\"#\">Home</a> <a href=\"#\">About</a> <a href=\"#\">Archive</a></nav><a href=\"#\">Sign in</a> <a href=\"#\">Subscribe</a></header><main class=\"gh-main\">{art}</main><footer class=\"gh-foot\">{site} &copy; 2024 — Powered by Ghost</footer></div>"
    return page(tp["title"], site, body), text_of(blocks, tp["lead"])

def t_divsoup(rng, tp, held):
    site = "Metro Daily Online"
    blocks = []
    pc = rng.choice(["txt", "para", "copy-block", "body-text"])
    for b in tp["paras"]:
        if isinstance(b, str):
            blocks.append((f"<div class=\"{pc}\">{esc(b)}</div>", b))
        elif b[0] == "h":
            blocks.append((f"<div class=\"subhead\"><strong>{esc(b[1])}</strong></div>", b[1]))
        elif b[0] == "list":
            blocks.append(("<ul class=\"bullets\">" + "".join(f"<li>{esc(x)}</li>" for x in b[1]) + "</ul>", "\n".join(b[1])))
        else:
            blocks.append((f"<div class=\"{pc} quote\">{esc(b[1])}</div>", b[1]))
    capcls = pick(rng, CAP_CLS, held)
    photo = f"<div class=\"photo\"><img src=\"/p.jpg\"><div class=\"{capcls}\">{esc(rng.choice(CAPTIONS))}</div></div>"
    rel = f"<div class=\"{pc}\"><b>{rng.choice(['RELATED', 'MORE', 'READ ALSO'])}:</b> <a href=\"#\">{esc(rng.choice(RELATED_TITLES))}</a></div>"
    nl = f"<div data-component=\"signup\"><div>Sign up for the Metro Daily newsletter</div><div>The biggest stories of the day, delivered at 6 a.m.</div><input type=\"email\"><span>Sign me up</span></div>"
    inner = interleave(rng, blocks, [photo, rel, nl, ad(rng, held)])
    keyp = ""
    exp_lead = tp["lead"]
    author = rng.choice(AUTHORS)
    art = (f"<div id=\"story\"><div class=\"hd\"><h1>{esc(tp['title'])}</h1><div>{esc(tp['lead'])}</div><div class=\"meta\">{author}, Metro Daily · March 11, 2024 · 4 min read</div></div>"
           f"<div class=\"shr\"><a href=\"#\">f</a> <a href=\"#\">x</a> <a href=\"#\">in</a> <a href=\"#\">Comments (14)</a></div>"
           f"<div class=\"bd\">{''.join(inner)}</div><div class=\"copyright\">Copyright 2024 Metro Daily Online. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.</div>"
           f"<div class=\"tags\"><a href=\"#\">City Hall</a><a href=\"#\">Weather</a><a href=\"#\">Schools</a></div></div>")
    trending = "<div class=\"trending\"><div>Trending now</div>" + "".join(f"<div><a href=\"#\">{esc(t)}</a></div>" for t in rng.sample(RELATED_TITLES, 4)) + "</div>"
    body = cookie(rng) + f"<div class=\"top\">{nav(rng, site)}</div><div class=\"wrap\">{art}{trending}</div>" + footer(site)
    return page(tp["title"], site, body), text_of(blocks, exp_lead)

def t_magazine(rng, tp, held):
    site = "The Long Table"
    blocks = body_blocks(tp["paras"])
    author = rng.choice(AUTHORS)
    strs = [b for b in tp["paras"] if isinstance(b, str)]
    pq = rng.choice(strs).split(". ")[0]
    pull = f"<aside class=\"{rng.choice(['pullquote', 'pull-quote', 'c-pullquote'])}\"><p>“{esc(pq)}”</p></aside>"
    inner = interleave(rng, blocks, [pull, newsletter(rng, held), figure(rng, held)])
    contrib = f"<div class=\"{pick(rng, BIO_CLS, held)}\"><p><em>{esc(rng.choice(BIOS).format(a=author))}</em></p></div>"
    issue = "<p class=\"issue-note\"><em>This article appears in the Spring 2024 issue. <a href=\"#\">Subscribe to the print edition</a>.</em></p>"
    art = (f"<article class=\"feature\"><header class=\"feature-header\"><p class=\"rubric\"><a href=\"#\">Culture</a></p><h1>{esc(tp['title'])}</h1><p class=\"{rng.choice(['deck', 'dek', 'lede'])}\">{esc(tp['lead'])}</p>"
           f"<p class=\"byline\">Words by {author} · Photographs by Ana Ruiz</p></header><div class=\"feature-body\">{''.join(inner)}{issue}{contrib}</div>"
           f"{share(rng, held)}</article>{related_list(rng, held, excerpts=True)}")
    body = nav(rng, site) + f"<main id=\"main-content\">{art}</main>" + footer(site)
    return page(tp["title"], site, body), text_of(blocks, tp["lead"])

def t_corporate(rng, tp, held):
    site = "Brightline Insights"
    blocks = body_blocks([tp["lead"]] + tp["paras"])
    cta = (f"<div class=\"{rng.choice(['hs-cta-wrapper', 'cta-banner', 'content-upgrade'])}\"><p><strong>Free guide:</strong> Download our 40-page playbook and learn how teams like yours save hours every week.</p><a class=\"btn\" href=\"#\">Download now</a></div>")
    toc = "<div class=\"toc\"><p>Table of contents</p><ol>" + "".join(f"<li><a href=\"#\">{esc(b[1])}</a></li>" for b in tp["paras"] if not isinstance(b, str) and b[0] == "h") + "</ol></div>"
    inner = interleave(rng, blocks, [cta, figure(rng, held)])
    author = rng.choice(AUTHORS)
    card = f"<div class=\"{pick(rng, BIO_CLS, held)}\"><img src=\"/a.png\"><div><p><strong>{author}</strong></p><p>Content Marketing Manager at Brightline</p><p>{esc(rng.choice(BIOS).format(a=author))}</p></div></div>"
    rel = "<section class=\"related-articles\"><h2>Related articles</h2><div class=\"cards\">" + "".join(f"<div class=\"card\"><a href=\"#\"><img src=\"/c.png\"><p class=\"card-tag\">Guides</p><h3>{esc(t)}</h3><p>{esc(rng.choice(['A step-by-step walkthrough for busy teams.', 'What we learned from a year of experiments.', 'The checklist we use every quarter.']))}</p></a></div>" for t in rng.sample(RELATED_TITLES, 3)) + "</div></section>"
    subs = f"<div class=\"blog-subscribe\"><h3>Subscribe to the Brightline blog</h3><form><input type=\"email\"><button>Subscribe</button></form><p>We care about your data. Read our privacy policy.</p></div>"
    art = f"<div class=\"blog-post\"><div class=\"breadcrumb\"><a href=\"#\">Blog</a> / <a href=\"#\">Guides</a></div><h1>{esc(tp['title'])}</h1><div class=\"post-meta\">{author} · 6 min read</div>{toc if rng.random() < .6 else ''}<div class=\"post-body\">{''.join(inner)}</div>{share(rng, held)}{card}</div>"
    body = cookie(rng) + nav(rng, site) + f"<main>{art}{subs}{rel}</main>" + footer(site)
    return page(tp["title"], site, body), text_of(blocks)

def t_docs(rng, d, held):
    site = "Fern Docs"
    blocks = body_blocks(d["blocks"], h_tag="h2")
    side = "<nav class=\"sidebar\"><ul>" + "".join(f"<li><a href=\"#\">{x}</a></li>" for x in ["Introduction", "Installing fernctl", "Quick start", "Configuration file reference", "Remote caching", "Troubleshooting slow uploads", "CLI reference", "Changelog"]) + "</ul></nav>"
    toc = "<div class=\"toc-right\"><p>On this page</p><ul>" + "".join(f"<li><a href=\"#\">{esc(b[1])}</a></li>" for b in d["blocks"] if not isinstance(b, str) and b[0] == "h") + "</ul></div>"
    feedback = "<div class=\"feedback\"><p>Was this page helpful?</p><button>Yes</button><button>No</button></div>"
    pn = "<nav class=\"pagination-nav\"><a href=\"#\"><div>Previous</div><div>Quick start</div></a><a href=\"#\"><div>Next</div><div>Remote caching</div></a></nav>"
    edit = "<div class=\"edit-this\"><a href=\"#\">Edit this page</a> <span>Last updated on Feb 20, 2024</span></div>"
    md = f"<div class=\"theme-doc-markdown markdown\"><h1>{esc(d['title'])}</h1>{''.join(h for h, _ in blocks)}</div>"
    crumbs = "<nav class=\"breadcrumbs\"><a href=\"#\">Docs</a> › <a href=\"#\">Guides</a></nav>"
    body = f"<div class=\"navbar\"><a href=\"/\">{site}</a> <a href=\"#\">Docs</a> <a href=\"#\">API</a> <a href=\"#\">Blog</a> <input placeholder=\"Search\"> <a href=\"#\">GitHub</a></div><div class=\"docs-wrapper\">{side}<main class=\"docMainContainer\"><article>{crumbs}{md}</article>{edit}{feedback}{pn}</main>{toc}</div><footer><p>Copyright © 2024 Fern Project. Built with a static site generator.</p></footer>"
    return page(d["title"], site, body), text_of(blocks)

def t_forum(rng, f, held):
    site = "The Kitchen Table Forum"
    posts = []
    for i, (user, txt) in enumerate(f["posts"]):
        posts.append(f"<div class=\"post\" id=\"p{i}\"><div class=\"postprofile\"><a class=\"username\" href=\"#\">{user}</a><div>Posts: {rng.randint(3,2000)}</div><div>Joined: {rng.choice(['Jan', 'May', 'Oct'])} 20{rng.randint(10,23)}</div></div>"
                     f"<div class=\"postbody\"><p class=\"author\">by {user} » Tue Mar {5+i}, 2024 {rng.randint(8,22)}:{rng.randint(10,59)}</p><div class=\"content\">{esc(txt)}</div>"
                     + (f"<div class=\"signature\">{rng.choice(['Baking since 2019. Crumb shots or it did not happen.', 'Ride more, worry less.', 'Sent from my phone'])}</div>" if rng.random() < .5 else "") +
                     f"<ul class=\"post-buttons\"><li><a href=\"#\">Quote</a></li><li><a href=\"#\">Report</a></li></ul></div></div>")
    body = (f"<div class=\"headerbar\"><a href=\"/\">{site}</a><p>A place to talk about food, gardens and bikes</p></div><ul class=\"navbar\"><li><a href=\"#\">FAQ</a></li><li><a href=\"#\">Register</a></li><li><a href=\"#\">Login</a></li></ul>"
            f"<div class=\"breadcrumbs\"><a href=\"#\">Board index</a> › <a href=\"#\">Home and Garden</a></div><h2 class=\"topic-title\"><a href=\"#\">{esc(f['title'])}</a></h2>"
            f"<div class=\"action-bar\"><a href=\"#\">Post Reply</a> <span>{len(posts)} posts • Page 1 of 1</span></div>{''.join(posts)}"
            f"<div class=\"action-bar\"><a href=\"#\">Post Reply</a> <a href=\"#\">Return to “Home and Garden”</a></div><div class=\"stat-block\"><h3>Who is online</h3><p>Users browsing this forum: No registered users and 4 guests</p></div>"
            f"<div class=\"copyright\">Powered by forum software © 2024</div>")
    return page(f["title"], site, body), "\n\n".join(t for _, t in f["posts"])

def t_product(rng, p, held):
    site = "Homeward Store"
    blocks = body_blocks(p["blocks"])
    reviews = "<section id=\"reviews\"><h2>Customer reviews</h2><p>4.6 out of 5 (128 reviews)</p>" + "".join(f"<div class=\"review\"><b>{rng.choice(AUTHORS)}</b> <span>★★★★☆</span><p>{esc(rng.choice(['Works exactly as described, very happy.', 'Arrived quickly, good quality for the price.', 'Nice design but the cable is short.']))}</p><a href=\"#\">Helpful (3)</a></div>" for _ in range(3)) + "</section>"
    also = "<section class=\"also-bought\"><h2>Customers also bought</h2><ul>" + "".join(f"<li><a href=\"#\">{x}</a> <span>${rng.randint(10,200)}.00</span></li>" for x in ["Pour-over stand", "Glass carafe", "Filter papers, pack of 100", "Travel mug"]) + "</ul></section>"
    buy = f"<div class=\"buy-box\"><p class=\"price\">${rng.randint(40,200)}.00</p><p>In stock. Free delivery over $50.</p><select><option>Black</option></select><button>Add to basket</button><a href=\"#\">Add to wish list</a></div>"
    main = (f"<div class=\"breadcrumb\"><a href=\"#\">Home</a> / <a href=\"#\">Kitchen</a></div><div class=\"product\"><div class=\"gallery\"><img src=\"/1.jpg\"><img src=\"/2.jpg\"></div>"
            f"<div class=\"summary\"><h1 class=\"product-title\">{esc(p['title'])}</h1><div class=\"rating\">★★★★★ 128 reviews</div>{buy}</div>"
            f"<div class=\"tabs\"><ul class=\"tab-nav\"><li><a href=\"#d\">Description</a></li><li><a href=\"#s\">Shipping</a></li><li><a href=\"#reviews\">Reviews (128)</a></li></ul>"
            f"<div id=\"d\" class=\"tab-panel description\">{''.join(h for h, _ in blocks)}</div>"
            f"<div id=\"s\" class=\"tab-panel\"><p>Orders placed before 2 p.m. ship the same day. Returns are free within 30 days.</p></div></div></div>{reviews}{also}")
    body = cookie(rng) + nav(rng, site) + f"<main>{main}</main><div class=\"newsletter\"><p>Get 10% off your first order when you join our mailing list.</p><input type=\"email\"><button>Join</button></div>" + footer(site)
    return page(p["title"], site, body), text_of(blocks)

TOPIC_TEMPLATES = [("wordpress", t_wordpress), ("news", t_news), ("substack", t_substack), ("medium", t_medium), ("blogger", t_blogger),
                   ("ghost", t_ghost), ("divsoup", t_divsoup), ("magazine", t_magazine), ("corporate", t_corporate)]
os.makedirs(OUT, exist_ok=True)
manifest = []
def write(name, html_, text, held):
    with open(os.path.join(OUT, name + ".html"), "w") as f: f.write(html_)
    with open(os.path.join(OUT, name + ".txt"), "w") as f: f.write(text.strip() + "\n")
    manifest.append((name, "heldout" if held else "tuning"))
for ti, (tname, fn) in enumerate(TOPIC_TEMPLATES):
    for k in range(3):
        tp = TOPICS[(ti * 3 + k) % len(TOPICS)]
        held = k == 2
        rng = random.Random(f"{tname}-{k}")
        h, t = fn(rng, tp, held)
        write(f"{tname}-{tp['slug']}", h, t, held)
for tname, fn, items in [("docs", t_docs, DOCS), ("forum", t_forum, FORUMS), ("product", t_product, PRODUCTS)]:
    for k, it in enumerate(items):
        held = k == 2
        rng = random.Random(f"{tname}-{k}")
        h, t = fn(rng, it, held)
        write(f"{tname}-{it['slug'].replace('forum-', '').replace('product-', '')}", h, t, held)
with open(os.path.join(OUT, "MANIFEST"), "w") as f:
    for n, s in manifest: f.write(f"{n} {s}\n")
print(len(manifest), "pages")

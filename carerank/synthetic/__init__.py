"""A synthetic social-care world with a known answer for every customer post.

The generator decides, post by post, which brands a customer addresses, whether and when each brand
answers, and which traps to lay for the matching rules, the cases where a careless join would count
a post or a reply wrongly: care accounts beside main accounts, replies by another brand, replies
after the horizon, several replies, replies after UTC midnight, duplicated records, handle letter
case, handle prefixes (``@acme`` vs ``@acmemobile``), posts to two brands, customers' follow-ups to
brand replies, replies to brand announcements, brand self-posts, e-mail addresses that look like
mentions, timestamps in many UTC offsets, replies stamped before their post (clock skew) and posts
still inside the horizon (pending).

The truth is derived from the generator's own record of what happened (``Interaction``), not from
the warehouse's SQL: tests compare ``fct_customer_posts`` with it row by row.

* ``model``: what a world is made of (brands, accounts, posts, interactions);
* ``brands``: the brands and their accounts, with the registry's traps;
* ``builder``: writing customer posts and brand replies, and remembering what happened;
* ``generator``: ``generate_world``, which decides who posts, who answers and every trap;
* ``truth``: the right answer for every customer post and brand;
* ``world``: the generated world and the files it is written to.
"""

from carerank.synthetic.generator import generate_world, generate_world_chunks
from carerank.synthetic.world import World, write_world

__all__ = ["World", "generate_world", "generate_world_chunks", "write_world"]

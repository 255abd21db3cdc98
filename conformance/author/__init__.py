"""The author's loop, shared by its two front ends (`syncpeng` and `syncpeng ui`): one method run
at a time fed by in.json, the checks run as a suite, and what is shown masked. Neither front end
depends on the other: both depend on this."""

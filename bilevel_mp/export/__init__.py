"""See and export the single-level problem of a method as a Pyomo model
(:func:`~bilevel_mp.export.reformulate.reformulate`) and read a solution of it back
(:func:`~bilevel_mp.export.reformulate.load_solution`)."""

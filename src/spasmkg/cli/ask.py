"""Commands that answer questions: lookup, query, queries, explain, why, html."""

from __future__ import annotations

from pathlib import Path

import click

from spasmkg.cli import cli
from spasmkg.cli.options import (
    RegistryChoice,
    data_option,
    emit,
    layer_option,
    output_option,
    parse_params,
)


@cli.command()
@click.argument("term")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--claims/--no-claims",
    default=True,
    show_default=True,
    help="Also show the claims the entity takes part in, each with its evidence "
    "(direction, grade, population, citation and link).",
)
@output_option
@layer_option("all")
@data_option
def lookup(
    term: str,
    output_format: str,
    claims: bool,
    output: Path | None,
    layer: str,
    data_root: Path | None,
) -> None:
    """Find an entity by label, synonym, spasmkg name or IRI, or an external identifier
    (HP:0003394, MESH:D013035, ICD10WHO:G35 or just G35, a MeSH or OBO IRI ...), and show
    its identifiers in every vocabulary with resolvable IRIs, then its claims and their
    evidence. Exit 3 if nothing matches."""
    import json

    from spasmkg.ask.lookup import format_claims, format_entity, lookup_with_claims

    found = lookup_with_claims(term, root=data_root, layer=layer)
    if output_format == "json":
        records = [
            dict(
                story.entity.as_dict(),
                matched_by=term,
                **(
                    {
                        "claims": [c.as_dict() for c in story.claims],
                        "claims_in_context": [c.as_dict() for c in story.in_context],
                    }
                    if claims
                    else {}
                ),
            )
            for story in found
        ]
        emit(json.dumps(records, indent=1, ensure_ascii=False) + "\n", output)
    else:
        emit(
            "\n\n".join(
                format_entity(story.entity) + ("\n" + format_claims(story) if claims else "")
                for story in found
            )
            + "\n",
            output,
        )


@cli.command()
@click.argument("name", required=False)
@click.option(
    "-e", "--expression", "sparql", help="SPARQL text to run instead of a named query or file."
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A query parameter; repeat for several. Entities may be named by label, name or identifier.",
)
@click.option(
    "-f",
    "--format",
    "output_format",
    type=RegistryChoice("spasmkg.ask.results", "WRITERS"),
    default="table",
    show_default=True,
    help="json is the SPARQL 1.1 results format; table and md show labels beside IRIs.",
)
@click.option(
    "--engine",
    type=RegistryChoice("spasmkg.ask.engines", "ENGINES"),
    default="auto",
    show_default=True,
    help="Embedded engine; auto picks pyoxigraph for large graphs (the graph with its "
    "imported layers is one), rdflib for small ones.",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Send the query to a remote SPARQL 1.1 endpoint instead, over the union of the build's "
    "named graphs there (as 'spasmkg push' leaves them); a query's own FROM replaces them.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Allow SERVICE clauses, which send queries to other servers.",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow FROM / FROM NAMED: on oxigraph they name graphs of the build; an endpoint may "
    "load outside graphs; rdflib refuses them.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1),
    default=60.0,
    show_default=True,
    help="Seconds the answer may take, on any engine or endpoint (the whole answer).",
)
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Keep the graph compiled for questions in $SPASMKG_CACHE_DIR (default "
    "~/.cache/spasmkg), so the next query skips parsing; any change to an input file makes "
    "a fresh one.",
)
@output_option
@layer_option("all")
@data_option
def query(
    name: str | None,
    sparql: str | None,
    params: tuple[str, ...],
    output_format: str,
    engine: str,
    endpoint: str | None,
    allow_service: bool,
    allow_remote: bool,
    timeout: float,
    cache: bool,
    output: Path | None,
    layer: str,
    data_root: Path | None,
) -> None:
    """Run a named query (see 'spasmkg queries'), a .rq file, or SPARQL given with -e.

    Queries are read-only: SPARQL Update is always refused, and SERVICE or FROM clauses
    only run with the matching --allow flag.
    """
    from spasmkg.ask.answer import query as run
    from spasmkg.ask.results import render

    if (name is None) == (sparql is None):
        raise click.UsageError("give a query NAME (or .rq file) or -e 'SPARQL', not both")
    result = run(
        name,
        parse_params(params),
        sparql=sparql,
        engine=engine,
        endpoint=endpoint,
        allow_service=allow_service,
        allow_remote=allow_remote,
        root=data_root,
        layer=layer,
        cache=cache,
        timeout=timeout,
    )
    labels = result.labels if output_format in ("table", "md") else {}
    emit(render(result, output_format, labels), output)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)


@cli.command("queries")
@data_option
def list_queries(data_root: Path | None) -> None:
    """List the named queries with their titles and parameters."""
    from spasmkg.ask.library import library
    from spasmkg.model.paths import data_paths

    for named in library(data_paths(data_root)).values():
        click.echo(f"{named.name}\n  {named.title}")
        for param in named.params:
            example = f" (e.g. {param.example})" if param.example else ""
            click.echo(f"  --param {param.name}=<{param.kind}>{example}  {param.help}")


@cli.command()
@click.argument("source")
@click.argument("target")
@click.option(
    "--max-length",
    type=click.IntRange(1, 8),
    default=4,
    show_default=True,
    help="Longest chain, in steps.",
)
@click.option(
    "--context",
    "contexts",
    multiple=True,
    metavar="GROUP",
    help="A group the question is about (athletes, pregnancy, multiple sclerosis ...); chains"
    " bound to a group not named go to their own section. Repeat for several.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "mermaid"]),
    default="text",
    show_default=True,
    help="json: an object with chains, against and other_contexts; mermaid: a flowchart of"
    " the chains that hold, to paste into Markdown (GitHub draws it).",
)
@layer_option("all")
@data_option
def explain(
    source: str,
    target: str,
    max_length: int,
    contexts: tuple[str, ...],
    output_format: str,
    layer: str,
    data_root: Path | None,
) -> None:
    """How SOURCE can lead to TARGET (for example furosemide and 'muscle cramp'): the chains
    the evidence supports, what it speaks against or leaves open, and what holds only in
    other groups, each step with its claims, standing, evidence and sources."""
    import json

    from spasmkg.ask.explain import explain as find_chains
    from spasmkg.ask.explain import format_explanation

    answer = find_chains(None, source, target, max_length, contexts, root=data_root, layer=layer)
    if output_format == "json":
        click.echo(json.dumps(answer.as_dict(), indent=1, ensure_ascii=False))
    elif output_format == "mermaid":
        from spasmkg.outputs.mermaid import chains_chart

        click.echo(chains_chart(answer.chains, source, target), nl=False)
    else:
        click.echo(format_explanation(answer), nl=False)


@cli.command()
@click.argument("symptom")
@click.option(
    "--takes",
    multiple=True,
    metavar="MEDICINE",
    help="A medicine the person takes, in everyday words or a brand name. Repeat for several.",
)
@click.option(
    "--has",
    multiple=True,
    metavar="CONDITION",
    help="A condition the person has (diabetes, Parkinson's, MS ...). Repeat for several.",
)
@click.option(
    "--context",
    "groups",
    multiple=True,
    metavar="GROUP",
    help="A group the person is in (older adults, pregnancy, athletes ...). Repeat for several.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "md", "json"]),
    default="text",
    show_default=True,
    help="json: an object with the keys symptom, understood, not_understood, red_flags, "
    "explanations, rare_causes, may_help, does_not_help and mimics.",
)
@layer_option("all")
@data_option
def why(
    symptom: str,
    takes: tuple[str, ...],
    has: tuple[str, ...],
    groups: tuple[str, ...],
    output_format: str,
    layer: str,
    data_root: Path | None,
) -> None:
    """Why might SYMPTOM (in everyday words: 'night cramps', 'twitchy eyelid') be happening
    to this person, and how sure are we: warning signs first, then reasons tied to what they
    take and have, common causes, rare ones apart, what may help and what does not, and what
    it can be mistaken for, every line with its source. Information, not a diagnosis."""
    import json

    from spasmkg.ask.leaflet import leaflet_markdown, leaflet_text
    from spasmkg.ask.why import why as ask_why

    answer = ask_why(symptom, takes=takes, has=has, groups=groups, root=data_root, layer=layer)
    if output_format == "json":
        click.echo(json.dumps(answer.as_dict(), indent=1, ensure_ascii=False))
    elif output_format == "md":
        click.echo(leaflet_markdown(answer), nl=False)
    else:
        click.echo(leaflet_text(answer), nl=False)


@cli.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The file to write [default: spasmkg.html; with --format mermaid, standard output].",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["html", "mermaid"]),
    default="html",
    show_default=True,
    help="mermaid: the nodes and claims as a flowchart to paste into Markdown (best with --focus).",
)
@click.option(
    "--focus",
    metavar="ENTITY",
    help="Show only the neighbourhood of this entity (label, name or identifier).",
)
@click.option(
    "--depth",
    type=click.IntRange(0, 10),
    default=1,
    show_default=True,
    help="Steps around --focus to include.",
)
@click.option("--title", default=None, help="Heading of the page.")
@layer_option("all")
@data_option
def html(
    out: Path | None,
    output_format: str,
    focus: str | None,
    depth: int,
    title: str | None,
    layer: str,
    data_root: Path | None,
) -> None:
    """Write the interactive graph as one self-contained HTML page that works offline.

    The page opens on muscle spasm and its direct neighbours, the whole core one click away;
    a node of an imported layer is drawn once search finds it or a neighbour is
    double-clicked (expanded). A --focus page draws its whole neighbourhood.
    """
    from spasmkg.ask.rows import write_text
    from spasmkg.model.loader import load
    from spasmkg.outputs.page import select, write_page

    kg = load(data_root, layer=layer)
    if output_format == "mermaid":
        from spasmkg.outputs.mermaid import selection_chart

        chart = selection_chart(select(kg, focus, depth, title))
        if out is None:
            click.echo(chart, nl=False)
            return
        write_text(out, chart)
        click.echo(f"wrote {out}")
        return
    out = out or Path("spasmkg.html")
    drawn = write_page(kg, out, focus=focus, depth=depth, title=title)
    click.echo(f"wrote {out}: {len(drawn.entities)} nodes, {len(drawn.claims)} edges")

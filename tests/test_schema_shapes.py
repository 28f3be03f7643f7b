"""Named schemas that are not plain objects: each becomes the Python type its answers are.

An ``allOf`` of objects is one class; an array, a union, a tuple, a constrained scalar or a
``$ref`` with siblings is a type alias exported from ``models``; a ``$ref`` into a component's
``$defs`` is a class. Real JSON validates to the values the spec means, and dumps back as it came.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from tests.conftest import generated_package
from tests.loopback import LoopbackServer, Recorder

SHAPES_SPEC = """\
openapi: 3.1.0
info: {title: Shapes API, version: 1.0.0}
tags: [{name: books}]
paths:
  /books:
    get:
      operationId: listBooks
      tags: [books]
      responses:
        "200":
          description: The books.
          content: {application/json: {schema: {$ref: '#/components/schemas/Books'}}}
    post:
      operationId: addBooks
      tags: [books]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Books'}}}
      responses:
        "204": {description: Added.}
  /books/{bookId}:
    get:
      operationId: getBook
      tags: [books]
      parameters: [{name: bookId, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: The book.
          content: {application/json: {schema: {$ref: '#/components/schemas/Book'}}}
  /pets/first:
    get:
      operationId: firstPet
      tags: [books]
      responses:
        "200":
          description: A pet.
          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
  /stickers/first:
    get:
      operationId: firstSticker
      tags: [books]
      responses:
        "200":
          description: A sticker, wherever it came from.
          content: {application/json: {schema: {$ref: '#/components/schemas/Sticker'}}}
components:
  schemas:
    Resource:
      type: object
      required: [id]
      properties: {id: {type: integer}, createdAt: {type: string}}
    Book:
      description: A book of the catalogue.
      allOf:
        - $ref: '#/components/schemas/Resource'
        - type: object
          required: [title, isbn]
          properties:
            title: {type: string}
            isbn: {$ref: '#/components/schemas/Isbn'}
            place: {$ref: '#/components/schemas/GeoPoint'}
            shelf: {$ref: '#/components/schemas/Shelf'}
            keeper: {$ref: '#/components/schemas/Keeper'}
        - description: Only a description, left out.
    Books:
      type: array
      items: {$ref: '#/components/schemas/Book'}
    Isbn:
      type: string
      pattern: '^[0-9-]{10,17}$'
    GeoPoint:
      description: Latitude and longitude.
      type: array
      prefixItems: [{type: number, maximum: 90}, {type: number}]
      items: false
    Shelf:
      type: object
      required: [slot]
      properties: {slot: {$ref: '#/components/schemas/Shelf/$defs/Slot'}}
      $defs:
        Slot:
          type: object
          required: [row]
          properties: {row: {type: integer}}
    Keeper:
      $ref: '#/components/schemas/Contact'
      description: Who looks after it.
    Contact:
      type: object
      required: [name]
      properties: {name: {type: string}}
    Cat:
      type: object
      required: [petType, purrs]
      properties: {petType: {const: cat}, purrs: {type: boolean}}
    Dog:
      type: object
      required: [petType, barks]
      properties: {petType: {type: string, enum: [dog]}, barks: {type: boolean}}
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator:
        propertyName: petType
        mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}
    Card:
      type: object
      required: [method, token]
      properties: {method: {type: string}, token: {type: string}}
    Voucher:
      type: object
      required: [method, code]
      properties: {method: {type: string}, code: {type: string}}
    Payment:
      anyOf: [{$ref: '#/components/schemas/Card'}, {$ref: '#/components/schemas/Voucher'}]
      discriminator:
        propertyName: method
        mapping: {card: '#/components/schemas/Card', voucher: '#/components/schemas/Voucher'}
    Amount:
      oneOf: [{type: integer, minimum: 0}, {type: string}]
    Sticker:
      type: object
      required: [kind, size]
      properties: {kind: {type: string}, size: {type: integer}}
    Mug:
      type: object
      required: [kind, volume]
      properties: {kind: {type: string}, volume: {type: integer}}
    Gift:
      oneOf: [{$ref: '#/components/schemas/Sticker'}, {$ref: '#/components/schemas/Mug'}]
      discriminator: {propertyName: kind}
    Node:
      type: object
      required: [name]
      properties: {name: {type: string}, children: {$ref: '#/components/schemas/Nodes'}}
    Nodes:
      type: array
      items: {$ref: '#/components/schemas/Node'}
"""

BOOK = {
    "id": 7,
    "title": "Dune",
    "isbn": "978-0441013593",
    "place": [48.5, 2.25],
    "shelf": {"slot": {"row": 3}},
    "keeper": {"name": "Ann"},
}


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(tmp_path_factory.mktemp("shapes"), SHAPES_SPEC, "shapes_api") as package:
        yield package


def read(shapes: ModuleType, name: str, answer: Any) -> Any:
    """``answer`` as JSON, validated as the type ``models.<name>``, as a client reads it."""
    return TypeAdapter(getattr(shapes.models, name)).validate_json(json.dumps(answer))


def dumped(shapes: ModuleType, name: str, value: Any) -> Any:
    adapter = TypeAdapter(getattr(shapes.models, name))
    return adapter.dump_python(value, mode="json", exclude_unset=True)


def test_an_all_of_of_objects_is_one_class_with_every_parts_fields(shapes: ModuleType) -> None:
    book = shapes.models.Book.model_validate_json(json.dumps(BOOK))
    assert (book.id, book.title, book.isbn) == (7, "Dune", "978-0441013593")
    assert list(shapes.models.Book.model_fields)[:3] == ["id", "created_at", "title"]
    assert book.model_dump(mode="json", exclude_unset=True) == BOOK
    assert shapes.models.Book.__doc__ == "A book of the catalogue."


@pytest.mark.parametrize("missing", ["id", "title"])
def test_the_required_properties_of_every_all_of_part_are_required(
    shapes: ModuleType, missing: str
) -> None:
    answer = {key: value for key, value in BOOK.items() if key != missing}
    with pytest.raises(ValidationError, match=missing):
        shapes.models.Book.model_validate_json(json.dumps(answer))


def test_a_named_array_is_a_list_of_its_items(shapes: ModuleType) -> None:
    books = read(shapes, "Books", [BOOK, {"id": 8, "title": "Emma", "isbn": "0-14-143958-7"}])
    assert [type(b) for b in books] == [shapes.models.Book] * 2
    assert [b.title for b in books] == ["Dune", "Emma"]
    assert dumped(shapes, "Books", books)[0] == BOOK


def test_a_discriminated_union_reads_the_member_its_property_names(shapes: ModuleType) -> None:
    cat = read(shapes, "Pet", {"petType": "cat", "purrs": True})
    dog = read(shapes, "Pet", {"petType": "dog", "barks": False})
    assert (type(cat), type(dog)) == (shapes.models.Cat, shapes.models.Dog)
    assert dumped(shapes, "Pet", dog) == {"petType": "dog", "barks": False}
    with pytest.raises(ValidationError, match="petType"):
        read(shapes, "Pet", {"petType": "cow", "purrs": True})


def test_options_whose_property_is_any_string_go_by_their_mapping_keys(shapes: ModuleType) -> None:
    voucher = read(shapes, "Payment", {"method": "voucher", "code": "V1"})
    card = read(shapes, "Payment", {"method": "card", "token": "t"})
    assert (type(voucher), type(card)) == (shapes.models.Voucher, shapes.models.Card)
    assert dumped(shapes, "Payment", voucher) == {"method": "voucher", "code": "V1"}
    assert shapes.models.Card(token="t").method == "card"
    with pytest.raises(ValidationError, match="method"):
        read(shapes, "Payment", {"method": "card", "code": "V1"})


def test_an_option_used_elsewhere_keeps_its_property_and_a_plain_union(shapes: ModuleType) -> None:
    sticker = shapes.models.Sticker.model_validate_json('{"kind": "anything", "size": 2}')
    assert sticker.kind == "anything"
    gift = read(shapes, "Gift", {"kind": "Sticker", "size": 2})
    assert type(gift) is shapes.models.Sticker


def test_a_union_of_scalars_keeps_each_members_rules(shapes: ModuleType) -> None:
    assert (read(shapes, "Amount", 3), read(shapes, "Amount", "3")) == (3, "3")
    with pytest.raises(ValidationError):
        read(shapes, "Amount", -1.5)


def test_prefix_items_are_a_tuple_read_from_an_array(shapes: ModuleType) -> None:
    assert read(shapes, "GeoPoint", [48.5, 2.25]) == (48.5, 2.25)
    assert dumped(shapes, "GeoPoint", (48.5, 2.25)) == [48.5, 2.25]
    book = shapes.models.Book.model_validate_json(json.dumps(BOOK))
    assert book.place == (48.5, 2.25)
    for wrong in ([91, 0], [1, "east"], [1, 2, 3]):
        with pytest.raises(ValidationError):
            read(shapes, "GeoPoint", wrong)


def test_a_named_scalar_keeps_its_rules(shapes: ModuleType) -> None:
    assert read(shapes, "Isbn", "0-14-143958-7") == "0-14-143958-7"
    with pytest.raises(ValidationError, match="pattern"):
        shapes.models.Book.model_validate_json(json.dumps({**BOOK, "isbn": "none"}))


def test_a_ref_with_a_description_is_its_target(shapes: ModuleType) -> None:
    assert shapes.models.Keeper is shapes.models.Contact
    book = shapes.models.Book.model_validate_json(json.dumps(BOOK))
    assert book.keeper == shapes.models.Contact(name="Ann")


def test_a_ref_into_a_components_defs_is_a_class(shapes: ModuleType) -> None:
    book = shapes.models.Book.model_validate_json(json.dumps(BOOK))
    assert book.shelf.slot == shapes.models.Slot(row=3)


def test_a_class_and_an_alias_naming_each_other_both_work(shapes: ModuleType) -> None:
    tree = {"name": "root", "children": [{"name": "leaf", "children": []}]}
    root = shapes.models.Node.model_validate_json(json.dumps(tree))
    assert root.children[0].name == "leaf"
    assert root.model_dump(mode="json", exclude_unset=True) == tree
    assert read(shapes, "Nodes", [tree])[0] == root


def test_aliases_are_exported_with_the_classes(shapes: ModuleType) -> None:
    exported = set(shapes.models.__all__)
    assert {"Books", "Pet", "Payment", "GeoPoint", "Isbn", "Keeper", "Nodes", "Slot"} <= exported


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder()
    with LoopbackServer(recorder) as running:
        yield running.url, recorder


def test_the_client_reads_a_named_array_and_a_merged_class(
    shapes: ModuleType, server: tuple[str, Recorder]
) -> None:
    url, recorder = server
    with shapes.Client(url, session=shapes.Session()) as client:
        recorder.reply(200, json.dumps([BOOK]).encode(), "application/json")
        books = client.books.list_books()
        recorder.reply(200, json.dumps(BOOK).encode(), "application/json")
        book = client.books.get_book(book_id=7)
        recorder.reply(200, b'{"petType": "cat", "purrs": true}', "application/json")
        pet = client.books.first_pet()
    assert books == [book] and book.title == "Dune"
    assert pet == shapes.models.Cat(pet_type="cat", purrs=True)


def test_the_client_sends_a_named_array(shapes: ModuleType, server: tuple[str, Recorder]) -> None:
    url, recorder = server
    book = shapes.models.Book.model_validate_json(json.dumps(BOOK))
    recorder.reply(204, b"", "application/json")
    with shapes.Client(url, session=shapes.Session()) as client:
        client.books.add_books([book])
    assert json.loads(recorder.requests[-1].body) == [BOOK]

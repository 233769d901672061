"""A minimal Streamlit client over its WebSocket protocol: what a browser tab asks of the server.

It sends the same BackMsg a browser sends (run a page, press a button, submit widget values) and
reads the ForwardMsg stream until the script run is over. Like a browser, it keeps the value each
input widget shows (its default, or what the server set) and sends them all with every rerun.
The server cannot tell it from a tab, except that nothing is rendered: a light client to load a
server from a small machine, and a modified client for tests that send what no browser widget
would (`send`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from types import TracebackType

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.WidgetStates_pb2 import WidgetState

_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}
_WIDGETS = {"radio", "number_input", "text_input", "text_area", "selectbox", "checkbox", "button"}


@dataclass
class PageRun:
    """What one script run showed: texts, buttons (label → widget id), alerts, exceptions, and
    the ids of the widgets that have a key (key → widget id)."""

    texts: list[str] = field(default_factory=list)
    buttons: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (ERROR/WARNING/INFO/SUCCESS, body)
    widgets: dict[str, str] = field(default_factory=dict)
    inputs: set[str] = field(default_factory=set)  # ids of the input widgets drawn
    defaults: dict[str, WidgetState] = field(default_factory=dict)  # widget id → value shown at first
    set_values: dict[str, WidgetState] = field(default_factory=dict)  # widget id → value the server set
    options: dict[str, list[str]] = field(default_factory=dict)  # radio's widget id → its options

    def alerts_of(self, kind: str) -> list[str]:
        return [body for shown, body in self.alerts if shown == kind]

    def shows(self, text: str) -> bool:
        return any(text in shown for shown in self.texts)


class StreamlitTab:
    """One Streamlit session on a WebSocket, logged in by the session cookie."""

    def __init__(self, base: str, cookie_header: str, timeout_s: float) -> None:
        self.url = "ws" + base.removeprefix("http") + "/_stcore/stream"
        self.headers = {"Cookie": cookie_header, "Origin": base}
        self.timeout_s = timeout_s
        self.pages: dict[str, str] = {}  # url path ("" for the default page) → page script hash
        self.values: dict[str, WidgetState] = {}  # what each input widget shows, sent with every rerun
        self._socket: websockets.ClientConnection | None = None

    async def __aenter__(self) -> StreamlitTab:
        self._socket = await websockets.connect(
            self.url,
            subprotocols=[websockets.Subprotocol("streamlit")],
            additional_headers=self.headers,
            max_size=None,
            open_timeout=self.timeout_s,
            ping_interval=None,  # browsers send no WebSocket pings: neither does this client
        )
        return self

    async def __aexit__(self, *_exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._socket is not None:
            await self._socket.close()

    async def open(self, path: str = "") -> PageRun:
        """Run the page at `path` (as a click on its navigation link does)."""
        return await self._run(self.pages.get(path, ""), [])

    async def press(self, path: str, button_id: str) -> PageRun:
        """Press a button of the page at `path`: a rerun with its trigger set."""
        trigger = WidgetState(id=button_id, trigger_value=True)
        return await self._run(self.pages.get(path, ""), [trigger])

    async def send(self, path: str, widgets: list[WidgetState]) -> PageRun:
        """Rerun the page at `path` with these widget states instead of the ones shown, whatever
        their values and types (what a modified client may send), e.g. with a button's trigger."""
        return await self._run(self.pages.get(path, ""), widgets)

    async def _run(self, page_hash: str, widgets: list[WidgetState]) -> PageRun:
        assert self._socket is not None, "use `async with StreamlitTab(...)`"
        states = {**self.values, **{widget.id: widget for widget in widgets}}
        message = BackMsg()
        message.rerun_script.query_string = ""
        message.rerun_script.page_script_hash = page_hash
        message.rerun_script.widget_states.widgets.extend(states.values())
        await self._socket.send(message.SerializeToString())
        run = PageRun()
        async with asyncio.timeout(self.timeout_s):
            while True:
                received = ForwardMsg.FromString(await self._socket.recv())
                kind = received.WhichOneof("type")
                if kind == "navigation":
                    self.pages = {p.url_pathname: p.page_script_hash for p in received.navigation.app_pages}
                elif kind == "delta" and received.delta.HasField("new_element"):
                    _read(received.delta.new_element, run)
                elif kind == "script_finished" and received.script_finished in _DONE:
                    self.values = {
                        **run.defaults,
                        **{k: v for k, v in self.values.items() if k in run.defaults},
                    }
                    self.values.update(run.set_values)
                    return run


def _read(element: Element, run: PageRun) -> None:
    kind = element.WhichOneof("type")
    if kind in {"heading", "markdown", "alert", "html"}:
        run.texts.append(getattr(element, kind).body)
    if kind == "alert":
        run.alerts.append((Alert.Format.Name(element.alert.format), element.alert.body))
    if kind == "button":
        run.buttons[element.button.label] = element.button.id
    if kind == "exception":
        run.errors.append(element.exception.message)
    if kind in _WIDGETS:
        widget_id = getattr(element, kind).id
        key = widget_id.split("-", 2)[-1] if widget_id.startswith("$$ID-") else ""
        if key and key != "None":
            run.widgets[key] = widget_id
        _read_value(element, kind, run)


def _read_value(element: Element, kind: str | None, run: PageRun) -> None:
    """The value an input widget shows: its default the first time, then what the server sets."""
    widget = getattr(element, kind) if kind else None
    shown, default = WidgetState(id=getattr(widget, "id", "")), WidgetState(id=getattr(widget, "id", ""))
    if kind == "radio":
        run.options[element.radio.id] = list(element.radio.options)
        if element.radio.set_value and element.radio.raw_value:
            shown.string_value = element.radio.raw_value
        if element.radio.HasField("default"):
            default.string_value = element.radio.options[element.radio.default]
    elif kind == "text_input":
        shown.string_value, default.string_value = element.text_input.value, element.text_input.default
    elif kind == "checkbox":
        shown.bool_value, default.bool_value = element.checkbox.value, element.checkbox.default
    elif kind == "number_input":
        whole = element.number_input.data_type == NumberInput.INT
        for state, value, present in (
            (shown, element.number_input.value, True),
            (default, element.number_input.default, element.number_input.HasField("default")),
        ):
            if present and whole:
                state.int_value = int(value)
            elif present:
                state.double_value = value
    else:
        return
    run.inputs.add(shown.id)
    if widget is not None and widget.set_value and shown.WhichOneof("value"):
        run.set_values[shown.id] = shown
    if default.WhichOneof("value"):
        run.defaults[default.id] = default

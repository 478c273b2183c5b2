// JSON-RPC over one HTTP/1.1 keep-alive connection, pipelined: each request is written at once,
// without waiting for the replies to the earlier ones. anvil's HTTP server answers the requests of
// a connection one after another, in the order they were written, so a transaction and the
// `evm_mine` that must follow it cost no round trip in between, and anvil never waits for us.
// (A JSON-RPC batch is no substitute: anvil runs the calls of a batch concurrently.)
import { connect, type Socket } from 'node:net'

export interface RpcReply {
  id: number
  result?: unknown
  error?: { code?: number; message: string }
}

interface Waiter {
  resolve: (body: unknown) => void
  reject: (err: Error) => void
}

interface HttpResponse {
  status: number
  body: string
}

const HEADER_END = Buffer.from('\r\n\r\n')

export class PipelinedRpc {
  private readonly host: string
  private readonly port: number
  private readonly path: string
  private socket: Socket | null = null
  private connected = false
  /** Requests written before the connection was up, sent in order once it is. */
  private unsent: Buffer[] = []
  private received: Buffer = Buffer.alloc(0)
  private readonly waiting: Waiter[] = []
  private nextId = 1

  constructor(rpcUrl: string) {
    const url = new URL(rpcUrl)
    this.host = url.hostname
    this.port = Number(url.port || 80)
    this.path = url.pathname || '/'
  }

  /** One call; rejects with the node's message when it answers with a JSON-RPC error. */
  async call(method: string, params: unknown[]): Promise<unknown> {
    const reply = (await this.post({ jsonrpc: '2.0', id: this.nextId++, method, params })) as RpcReply
    if (reply.error) throw new Error(`${method}: ${reply.error.message}`)
    return reply.result
  }

  /** A JSON-RPC batch (the node may run its calls concurrently); replies in request order. */
  async batch(calls: { method: string; params: unknown[] }[]): Promise<RpcReply[]> {
    if (calls.length === 0) return []
    const first = this.nextId
    this.nextId += calls.length
    const body = calls.map((c, i) => ({ jsonrpc: '2.0', id: first + i, ...c }))
    const replies = (await this.post(body)) as RpcReply[]
    const byId = new Map(replies.map((r) => [r.id, r]))
    return body.map((b) => byId.get(b.id) ?? { id: b.id, error: { message: 'no reply' } })
  }

  close(): void {
    this.socket?.destroy()
    this.fail(new Error('JSON-RPC connection closed'))
  }

  /** Writes the request now (or queues it, in order, until connected) and resolves with the reply body. */
  private post(body: unknown): Promise<unknown> {
    const json = JSON.stringify(body)
    const head =
      `POST ${this.path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(json)}\r\n\r\n`
    const request = Buffer.from(head + json)
    const reply = new Promise<unknown>((resolve, reject) => this.waiting.push({ resolve, reject }))
    const socket = this.socket ?? this.open()
    socket.ref()
    if (this.connected) socket.write(request)
    else this.unsent.push(request)
    return reply
  }

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port, noDelay: true })
    this.socket = socket
    socket.once('connect', () => {
      this.connected = true
      for (const request of this.unsent) socket.write(request)
      this.unsent = []
    })
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('error', (err) => this.fail(err))
    socket.on('close', () => {
      if (this.socket === socket) {
        this.socket = null
        this.connected = false
        this.received = Buffer.alloc(0)
      }
      this.fail(new Error('the node closed the JSON-RPC connection'))
    })
    return socket
  }

  private fail(err: Error): void {
    this.unsent = []
    for (const waiter of this.waiting.splice(0)) waiter.reject(err)
  }

  private onData(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk])
    try {
      for (let response = this.nextResponse(); response; response = this.nextResponse()) {
        const waiter = this.waiting.shift()
        if (response.status !== 200) waiter?.reject(new Error(`HTTP ${response.status}: ${response.body}`))
        else waiter?.resolve(JSON.parse(response.body))
      }
    } catch (err) {
      this.socket?.destroy()
      this.fail(err instanceof Error ? err : new Error(String(err)))
    }
    if (this.waiting.length === 0) this.socket?.unref()
  }

  /** The next complete response in the buffer, or null; anvil always sends a content-length. */
  private nextResponse(): HttpResponse | null {
    const headerEnd = this.received.indexOf(HEADER_END)
    if (headerEnd < 0) return null
    const head = this.received.subarray(0, headerEnd).toString('latin1')
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1]
    if (length === undefined) throw new Error(`JSON-RPC reply without a content-length: ${head}`)
    const bodyStart = headerEnd + HEADER_END.length
    const bodyEnd = bodyStart + Number(length)
    if (this.received.length < bodyEnd) return null
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0)
    const body = this.received.subarray(bodyStart, bodyEnd).toString('utf8')
    this.received = this.received.subarray(bodyEnd)
    return { status, body }
  }
}

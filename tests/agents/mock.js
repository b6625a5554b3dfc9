// A mock model server for the agents' own CLIs, listening on 127.0.0.1
// only. It speaks just enough of three provider APIs (Anthropic messages,
// OpenAI responses, Gemini generateContent) for one tool call and a final
// answer: the first request that offers the planned tool gets a call to it;
// once the conversation holds a tool result, the answer is text that quotes
// that result. Every request body is kept, so a test can check what the
// agent told the model.
'use strict';
const http = require('http');

function sse(res, events) {
  res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache'});
  for (const [name, data] of events) {
    if (name) res.write(`event: ${name}\n`);
    res.write(`data: ${JSON.stringify(data)}\n\n`);
  }
  res.end();
}

// ---- Anthropic messages (Claude Code, Copilot CLI with an anthropic provider)
function anthropicToolResult(body) {
  for (const m of body.messages || [])
    for (const c of Array.isArray(m.content) ? m.content : [])
      if (c.type === 'tool_result') return JSON.stringify(c.content);
  return null;
}

function anthropic(plan, body, res) {
  const tools = (body.tools || []).map((t) => t.name);
  const result = anthropicToolResult(body);
  let block;
  if (result === null && tools.includes(plan.anthropic.name))
    block = {type: 'tool_use', id: 'toolu_mock_1', name: plan.anthropic.name, input: plan.anthropic.input};
  else
    block = {type: 'text', text: result === null ? 'ok' : `FINAL ANSWER. The tool said: ${result}`};
  const message = {id: 'msg_mock', type: 'message', role: 'assistant', model: body.model,
                   content: [], stop_reason: null, stop_sequence: null,
                   usage: {input_tokens: 10, output_tokens: 1}};
  const stop = block.type === 'tool_use' ? 'tool_use' : 'end_turn';
  if (!body.stream) {
    res.writeHead(200, {'content-type': 'application/json'});
    res.end(JSON.stringify({...message, content: [block], stop_reason: stop}));
    return;
  }
  const start = block.type === 'tool_use' ? {...block, input: {}} : {type: 'text', text: ''};
  const delta = block.type === 'tool_use'
    ? {type: 'input_json_delta', partial_json: JSON.stringify(block.input)}
    : {type: 'text_delta', text: block.text};
  sse(res, [
    ['message_start', {type: 'message_start', message}],
    ['content_block_start', {type: 'content_block_start', index: 0, content_block: start}],
    ['content_block_delta', {type: 'content_block_delta', index: 0, delta}],
    ['content_block_stop', {type: 'content_block_stop', index: 0}],
    ['message_delta', {type: 'message_delta', delta: {stop_reason: stop, stop_sequence: null},
                       usage: {output_tokens: 5}}],
    ['message_stop', {type: 'message_stop'}],
  ]);
}

// ---- OpenAI responses (Codex)
function openaiToolResult(body) {
  for (const item of body.input || [])
    if (/_call_output$/.test(item.type || '')) return JSON.stringify(item.output);
  return null;
}

function openai(plan, body, res) {
  const result = openaiToolResult(body);
  const call = plan.openai(body.tools || []);
  let item;
  if (result === null && call)
    item = call.type === 'custom'
      ? {type: 'custom_tool_call', id: 'ctc_mock_1', status: 'completed', call_id: 'call_mock_1',
         name: call.name, input: call.input}
      : {type: 'function_call', id: 'fc_mock_1', status: 'completed', call_id: 'call_mock_1',
         name: call.name, arguments: JSON.stringify(call.input)};
  else
    item = {type: 'message', id: 'msg_mock_1', status: 'completed', role: 'assistant',
            content: [{type: 'output_text', annotations: [],
                       text: result === null ? 'ok' : `FINAL ANSWER. The tool said: ${result}`}]};
  const response = {id: 'resp_mock', object: 'response', status: 'completed', model: body.model,
                    output: [item],
                    usage: {input_tokens: 10, input_tokens_details: {cached_tokens: 0},
                            output_tokens: 5, output_tokens_details: {reasoning_tokens: 0},
                            total_tokens: 15}};
  sse(res, [
    ['response.created', {type: 'response.created', response: {...response, status: 'in_progress', output: []}}],
    ['response.output_item.added', {type: 'response.output_item.added', output_index: 0, item}],
    ['response.output_item.done', {type: 'response.output_item.done', output_index: 0, item}],
    ['response.completed', {type: 'response.completed', response}],
  ]);
}

// ---- Gemini generateContent (Gemini CLI)
function geminiToolResult(body) {
  for (const c of body.contents || [])
    for (const p of c.parts || [])
      if (p.functionResponse) return JSON.stringify(p.functionResponse.response);
  return null;
}

function gemini(plan, body, res, stream) {
  const tools = [];
  for (const t of body.tools || [])
    for (const d of t.functionDeclarations || []) tools.push(d.name);
  const result = geminiToolResult(body);
  let part;
  if (result === null && tools.includes(plan.gemini.name))
    part = {functionCall: {name: plan.gemini.name, args: plan.gemini.input}};
  else if (body.generationConfig && body.generationConfig.responseMimeType === 'application/json')
    part = {text: JSON.stringify({reasoning: 'mock', model_choice: 'pro', next_speaker: 'user'})};
  else
    part = {text: result === null ? 'ok' : `FINAL ANSWER. The tool said: ${result}`};
  const chunk = {candidates: [{content: {role: 'model', parts: [part]}, finishReason: 'STOP', index: 0}],
                 usageMetadata: {promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15},
                 modelVersion: 'mock'};
  if (stream) return sse(res, [[null, chunk]]);
  res.writeHead(200, {'content-type': 'application/json'});
  res.end(JSON.stringify(chunk));
}

// Starts a server for one run; resolves to {port, requests, close()}.
function start(plan) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body = {};
      try { body = raw ? JSON.parse(raw) : {}; } catch (e) { body = {}; }
      requests.push({method: req.method, url: req.url, raw});
      const url = req.url.split('?')[0];
      try {
        if (/\/v1\/messages\/count_tokens$/.test(url)) {
          res.writeHead(200, {'content-type': 'application/json'});
          return res.end('{"input_tokens":10}');
        }
        if (/\/v1\/messages$/.test(url)) return anthropic(plan, body, res);
        if (/\/responses$/.test(url)) return openai(plan, body, res);
        if (/:streamGenerateContent$/.test(url)) return gemini(plan, body, res, true);
        if (/:generateContent$/.test(url)) return gemini(plan, body, res, false);
        if (/:countTokens$/.test(url)) {
          res.writeHead(200, {'content-type': 'application/json'});
          return res.end('{"totalTokens":10}');
        }
        if (/\/models$/.test(url)) {
          res.writeHead(200, {'content-type': 'application/json'});
          return res.end('{"object":"list","data":[],"models":[]}');
        }
      } catch (e) {
        requests.push({error: String(e.stack || e)});
      }
      res.writeHead(404, {'content-type': 'application/json'});
      res.end('{"error":{"message":"not mocked"}}');
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      port: server.address().port,
      requests,
      close: () => new Promise((r) => { server.closeAllConnections && server.closeAllConnections(); server.close(() => r()); }),
    }));
  });
}

module.exports = {start};

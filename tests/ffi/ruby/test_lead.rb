# liblead driven from Ruby through ruby-ffi.
#
# The engine's clock, allocator and store are Ruby objects: C calls back into
# Ruby, and the `user` pointer carries a handle to the Ruby object. Run with
# LEAD_LIBRARY=/path/to/liblead.so LEAD_INCLUDE_DIR=/path/to/include. Each
# concept of the API is one test method of Scenario; add new concepts the
# same way.
require 'ffi'
require 'minitest/autorun'

module Lead
  extend FFI::Library
  ffi_lib ENV.fetch('LEAD_LIBRARY')

  OK = 0
  EINVAL = -1
  ENOTFOUND = -3
  EEXISTS = -4
  ESTORE = -5
  ECLOCK = -6
  ELIMIT = -7
  ESTATE = -9
  ITEROVER = -10
  ECANCELED = -15
  STAGE_SUBSCRIBER = 0
  STAGE_LEAD = 1
  STAGE_SQL = 3
  REASON_CREATED = 0
  REASON_EVENT = 2
  REASON_THRESHOLD = 3
  FIELDS = { 'email' => 0, 'phone' => 3, 'job_title' => 5, 'industry' => 6 }.freeze
  ATTR_STRING = 0
  EVENT_CONTENT = 3
  TIME_UNKNOWN = -(2**63)
  ATTRIBUTION_LINEAR = 5
  ATTRIBUTION_U_SHAPED = 6

  callback :malloc_fn, %i[pointer size_t], :pointer
  callback :realloc_fn, %i[pointer pointer size_t], :pointer
  callback :free_fn, %i[pointer pointer], :void
  callback :now_ms_fn, %i[pointer pointer], :int
  callback :contact_fn, %i[pointer uint64], :int
  callback :event_fn, %i[pointer int64 pointer size_t], :int
  callback :progress_fn, %i[pointer uint64 uint64], :int
  # The lead_store slots in declaration order: name => [parameters].
  STORE_SLOTS = {
    contact_put: %i[pointer uint64 string string pointer size_t],
    contact_get: %i[pointer uint64 pointer pointer],
    contact_delete: %i[pointer uint64],
    contact_find_email: %i[pointer string pointer],
    contact_find_external: %i[pointer string pointer],
    contact_scan: %i[pointer contact_fn pointer],
    event_append: %i[pointer uint64 int64 string pointer size_t],
    event_scan: %i[pointer uint64 int64 event_fn pointer],
    event_find_key: %i[pointer string],
    meta_put: %i[pointer string pointer size_t],
    meta_get: %i[pointer string pointer pointer],
    begin: %i[pointer],
    commit: %i[pointer],
    rollback: %i[pointer]
  }.freeze
  STORE_SLOTS.each { |name, params| callback :"#{name}_fn", params, :int }

  class Allocator < FFI::Struct
    layout :struct_size, :uint32, :version, :uint32, :user, :pointer,
           :malloc_fn, :malloc_fn, :realloc_fn, :realloc_fn, :free_fn, :free_fn
  end

  class Clock < FFI::Struct
    layout :struct_size, :uint32, :version, :uint32, :user, :pointer, :now_ms, :now_ms_fn
  end

  class Store < FFI::Struct
    layout(:struct_size, :uint32, :version, :uint32, :user, :pointer,
           *STORE_SLOTS.keys.flat_map { |name| [name, :"#{name}_fn"] })
  end

  class EventInput < FFI::Struct
    layout :struct_size, :uint32, :version, :uint32, :contact_id, :uint64, :type, :int32,
           :channel, :int32, :time_ms, :int64, :value_minor, :int64, :currency, :pointer,
           :source, :pointer, :medium, :pointer, :campaign, :pointer, :content, :pointer,
           :idempotency_key, :pointer
  end

  class EngineOptions < FFI::Struct
    layout :struct_size, :uint32, :version, :uint32,
           :allocator, :pointer, :clock, :pointer, :store, :pointer
  end

  class ScoreItem < FFI::Struct
    layout :struct_size, :uint32, :version, :uint32, :kind, :int32, :rule, :uint32,
           :subject, :string, :event_index, :uint64, :event_time, :int64, :raw, :int64,
           :value, :int64
  end

  attach_function :lead_version_string, [], :string
  attach_function :lead_version_number, [], :int
  attach_function :lead_strerror, [:int], :string
  attach_function :lead_allocator_init, [:pointer, :uint32], :int
  attach_function :lead_clock_init, [:pointer, :uint32], :int
  attach_function :lead_engine_options_init, [:pointer, :uint32], :int
  attach_function :lead_engine_new, %i[pointer pointer], :int
  attach_function :lead_engine_free, [:pointer], :void
  attach_function :lead_engine_errmsg, [:pointer], :string
  attach_function :lead_engine_now, %i[pointer pointer], :int
  attach_function :lead_stage_name, [:int], :string
  attach_function :lead_store_init, [:pointer, :uint32], :int
  attach_function :lead_event_input_init, [:pointer, :uint32], :int
  attach_function :lead_contact_create, %i[pointer pointer string string int], :int
  attach_function :lead_contact_set_field, %i[pointer uint64 int string], :int
  attach_function :lead_contact_set_attr, %i[pointer uint64 string int int64 double string], :int
  attach_function :lead_contact_find_email, %i[pointer pointer string], :int
  attach_function :lead_contact_find_external, %i[pointer pointer string], :int
  attach_function :lead_contact_get, %i[pointer pointer uint64], :int
  attach_function :lead_contact_free, [:pointer], :void
  attach_function :lead_contact_field, %i[pointer int pointer], :int
  attach_function :lead_contact_stage, %i[pointer pointer], :int
  attach_function :lead_contact_event_count, %i[pointer pointer], :int
  attach_function :lead_contact_stage_history_count, %i[pointer pointer], :int
  attach_function :lead_contact_stage_history_at,
                  %i[pointer size_t pointer pointer pointer pointer pointer], :int
  attach_function :lead_contact_attr_count, %i[pointer pointer], :int
  attach_function :lead_contact_attr_at, %i[pointer size_t pointer pointer pointer pointer pointer], :int
  attach_function :lead_track, %i[pointer pointer pointer], :int
  attach_function :lead_event_iter_new, %i[pointer pointer uint64 int64], :int
  attach_function :lead_event_iter_next, %i[pointer pointer], :int
  attach_function :lead_event_iter_free, [:pointer], :void
  attach_function :lead_event_ids, %i[pointer pointer pointer pointer pointer], :int
  attach_function :lead_event_time, %i[pointer pointer], :int
  attach_function :lead_event_string, %i[pointer int pointer], :int
  attach_function :lead_event_type_name, [:int], :string
  attach_function :lead_channel_name, [:int], :string
  attach_function :lead_event_type_from_name, %i[string pointer], :int
  attach_function :lead_channel_from_name, %i[string pointer], :int
  attach_function :lead_score_model_new, %i[pointer pointer], :int
  attach_function :lead_score_model_free, [:pointer], :void
  attach_function :lead_score_model_parse, %i[pointer pointer size_t], :int
  attach_function :lead_score_model_error, %i[pointer pointer pointer pointer], :int
  attach_function :lead_score_subject_new, %i[pointer pointer], :int
  attach_function :lead_score_subject_free, [:pointer], :void
  attach_function :lead_score_subject_set, %i[pointer string string], :int
  attach_function :lead_score_subject_add_event, %i[pointer string string string int64], :int
  attach_function :lead_score_subject_add_property, %i[pointer string string], :int
  attach_function :lead_score_evaluate, %i[pointer pointer pointer int64], :int
  attach_function :lead_score_result_free, [:pointer], :void
  attach_function :lead_score_result_scores, %i[pointer pointer pointer pointer], :int
  attach_function :lead_score_result_grade, %i[pointer pointer], :int
  attach_function :lead_score_result_bant, %i[pointer pointer], :int
  attach_function :lead_score_result_stage, %i[pointer pointer pointer], :int
  attach_function :lead_score_result_item_count, %i[pointer pointer], :int
  attach_function :lead_score_item_init, [:pointer, :uint32], :int
  attach_function :lead_score_result_item, %i[pointer size_t pointer], :int
  attach_function :lead_engine_score_attach, %i[pointer string pointer], :int
  attach_function :lead_engine_score_detach, %i[pointer string], :int
  attach_function :lead_engine_score_count, %i[pointer pointer], :int
  attach_function :lead_engine_score_name, %i[pointer size_t pointer], :int
  attach_function :lead_engine_score, %i[pointer pointer string uint64 int64], :int
  attach_function :lead_engine_rescore, %i[pointer string progress_fn pointer], :int
  attach_function :lead_journey_set_new, %i[pointer pointer], :int
  attach_function :lead_journey_set_free, [:pointer], :void
  attach_function :lead_journey_set_errmsg, [:pointer], :string
  attach_function :lead_journey_set_begin, [:pointer], :int
  attach_function :lead_journey_set_add_touch, %i[pointer string string int64 uint32], :int
  attach_function :lead_journey_set_end, %i[pointer double double double int64], :int
  attach_function :lead_attribution_model_new, %i[pointer uint32 pointer], :int
  attach_function :lead_attribution_model_free, [:pointer], :void
  attach_function :lead_attribution_model_errmsg, [:pointer], :string
  attach_function :lead_attribution_run, %i[pointer pointer pointer], :int
  attach_function :lead_attribution_result_free, [:pointer], :void
  attach_function :lead_attribution_result_totals, %i[pointer pointer pointer pointer pointer], :int
  attach_function :lead_attribution_result_channel_by_name, %i[pointer string pointer pointer], :int

  module LibC
    extend FFI::Library
    ffi_lib FFI::Library::LIBC
    attach_function :malloc, [:size_t], :pointer
    attach_function :realloc, %i[pointer size_t], :pointer
    attach_function :free, [:pointer], :void
  end

  # What the C `user` pointers carry: an integer naming a Ruby object.
  module Handles
    @objects = {}
    @next = 0

    def self.add(obj)
      @next += 1
      @objects[@next] = obj
      FFI::Pointer.new(@next)
    end

    def self.[](user)
      @objects.fetch(user.address)
    end

    def self.delete(user)
      @objects.delete(user.address)
    end
  end

  CLOCK_NOW = proc do |user, out_ms|
    failure, now = Handles[user].read
    out_ms.write_int64(now) if failure.zero?
    failure
  end
  MALLOC = proc { |user, size| Handles[user].malloc(size) }
  REALLOC = proc { |user, ptr, size| Handles[user].realloc(ptr, size) }
  FREE = proc { |user, ptr| Handles[user].free(ptr) }

  # The rescore's progress callback: asks the Ruby block behind `user` whether
  # to stop. An exception stops the rescore and is kept for Engine#rescore to
  # raise once C has returned (it must not jump over the engine's C frames).
  RESCORE_PROGRESS = proc do |user, done, total|
    call = Handles[user]
    begin
      call[:progress].call(done, total) ? 1 : 0
    rescue Exception => e # rubocop:disable Lint/RescueException
      call[:error] = e
      1
    end
  end

  STORE_BUG = 1000 # what a store callback returns when its Ruby code raised

  # The store callbacks, one proc per slot, in a constant so that they live as
  # long as the process. Each finds the Ruby store behind `user`, applies the
  # injected failure, and never lets an exception unwind through C frames.
  STORE_CALLBACKS = STORE_SLOTS.keys.to_h do |name|
    [name, proc do |user, *args|
      store = Handles[user]
      store.calls[name] += 1
      store.fail.fetch(name) do
        store.public_send(name, *args)
      rescue Exception => e # rubocop:disable Lint/RescueException
        store.errors << e
        STORE_BUG
      end
    end]
  end

  # The lead_store whose slots reach the Ruby store (handle in user).
  def self.c_store(store)
    table = Store.new
    Lead.lead_store_init(table, table.size)
    table[:user] = Handles.add(store)
    STORE_CALLBACKS.each { |name, callback| table[name] = callback }
    table
  end

  # A liblead status with the engine's detail message.
  class Error < StandardError
    attr_reader :code, :detail

    def initialize(code, detail)
      @code = code
      @detail = detail
      super("#{Lead.lead_strerror(code)}: #{detail}")
    end
  end

  # The lead_allocator whose hooks reach the Ruby allocator (handle in user).
  def self.c_allocator(allocator)
    alloc = Allocator.new
    Lead.lead_allocator_init(alloc, alloc.size)
    alloc[:user] = Handles.add(allocator)
    alloc[:malloc_fn] = MALLOC
    alloc[:realloc_fn] = REALLOC
    alloc[:free_fn] = FREE
    alloc
  end

  # An engine whose clock, allocator and store live in Ruby.
  class Engine
    attr_reader :ptr

    def initialize(clock, allocator, store)
      @clock = Clock.new
      Lead.lead_clock_init(@clock, @clock.size)
      @clock[:user] = Handles.add(clock)
      @clock[:now_ms] = CLOCK_NOW
      @alloc = Lead.c_allocator(allocator)
      @store = Lead.c_store(store)
      opts = EngineOptions.new
      Lead.lead_engine_options_init(opts, opts.size)
      opts[:clock] = @clock.to_ptr
      opts[:allocator] = @alloc.to_ptr
      opts[:store] = @store.to_ptr
      out = FFI::MemoryPointer.new(:pointer)
      rc = Lead.lead_engine_new(out, opts)
      if rc != OK
        release_handles
        raise Error.new(rc, 'lead_engine_new')
      end
      @ptr = out.read_pointer
    end

    def now
      out = FFI::MemoryPointer.new(:int64)
      check(Lead.lead_engine_now(@ptr, out))
      out.read_int64
    end

    def create_contact(email, external_id = nil, on_duplicate = 0)
      out = FFI::MemoryPointer.new(:uint64)
      check(Lead.lead_contact_create(@ptr, out, email, external_id, on_duplicate))
      out.read_uint64
    end

    def find(email: nil, external_id: nil)
      out = FFI::MemoryPointer.new(:uint64)
      if email
        check(Lead.lead_contact_find_email(@ptr, out, email))
      else
        check(Lead.lead_contact_find_external(@ptr, out, external_id))
      end
      out.read_uint64
    end

    def set_field(id, name, value)
      check(Lead.lead_contact_set_field(@ptr, id, FIELDS.fetch(name), value))
    end

    def set_attr(id, name, value)
      check(Lead.lead_contact_set_attr(@ptr, id, name, ATTR_STRING, 0, 0.0, value))
    end

    # Tracks an event given by type and channel names; its id, 0 for a replay.
    def track(id, type, channel, time_ms, key: nil, content: nil)
      event = EventInput.new
      Lead.lead_event_input_init(event, event.size)
      number = FFI::MemoryPointer.new(:int)
      check(Lead.lead_event_type_from_name(type, number))
      event[:type] = number.read_int
      check(Lead.lead_channel_from_name(channel, number))
      event[:channel] = number.read_int
      event[:contact_id] = id
      event[:time_ms] = time_ms
      strings = [key, content].map { |s| s && FFI::MemoryPointer.from_string(s) }
      event[:idempotency_key], event[:content] = strings.map { |s| s || FFI::Pointer::NULL }
      out = FFI::MemoryPointer.new(:uint64)
      check(Lead.lead_track(@ptr, out, event))
      out.read_uint64
    end

    # A snapshot: fields, stage, stage history, event count and attributes.
    def contact(id)
      out = FFI::MemoryPointer.new(:pointer)
      check(Lead.lead_contact_get(out, @ptr, id))
      Lead.read_contact(out.read_pointer)
    ensure
      Lead.lead_contact_free(out.read_pointer)
    end

    # The contact's events in time order: [id, type, channel, time, content].
    def events(id, from_ms = TIME_UNKNOWN)
      it_out = FFI::MemoryPointer.new(:pointer)
      check(Lead.lead_event_iter_new(it_out, @ptr, id, from_ms))
      it = it_out.read_pointer
      event_out = FFI::MemoryPointer.new(:pointer)
      events = []
      while (rc = Lead.lead_event_iter_next(it, event_out)) != ITEROVER
        check(rc)
        events << Lead.read_event(event_out.read_pointer)
      end
      events
    ensure
      Lead.lead_event_iter_free(it_out.read_pointer)
    end

    # Attaches a copy of a ScoreModel under name.
    def attach(name, model)
      check(Lead.lead_engine_score_attach(@ptr, name, model.ptr))
    end

    def detach(name)
      check(Lead.lead_engine_score_detach(@ptr, name))
    end

    # The names of the attached models, in attach order.
    def models
      count = FFI::MemoryPointer.new(:size_t)
      check(Lead.lead_engine_score_count(@ptr, count))
      name = FFI::MemoryPointer.new(:pointer)
      Array.new(count.read(:size_t)) do |i|
        check(Lead.lead_engine_score_name(@ptr, i, name))
        Lead.borrowed_string(name.read_pointer)
      end
    end

    # The contact's score under an attached model, as Lead.read_score gives it.
    def score(model_name, id, at_ms = TIME_UNKNOWN)
      out = FFI::MemoryPointer.new(:pointer)
      check(Lead.lead_engine_score(out, @ptr, model_name, id, at_ms))
      Lead.read_score(out.read_pointer)
    ensure
      Lead.lead_score_result_free(out.read_pointer)
    end

    # Rescores under one model (nil: all); the block, if given, gets (done,
    # total) after each contact and stops the rescore by returning true.
    def rescore(model_name = nil, &progress)
      call = { progress: progress, error: nil }
      user = Handles.add(call)
      begin
        rc = Lead.lead_engine_rescore(@ptr, model_name, progress && RESCORE_PROGRESS, user)
      ensure
        Handles.delete(user)
      end
      raise call[:error] if call[:error]

      check(rc)
    end

    def close
      Lead.lead_engine_free(@ptr)
      @ptr = nil
      release_handles
    end

    private

    def check(rc)
      raise Error.new(rc, Lead.lead_engine_errmsg(@ptr)) unless rc == OK
    end

    def release_handles
      Handles.delete(@clock[:user])
      Handles.delete(@alloc[:user])
      Handles.delete(@store[:user])
    end
  end

  # Journeys built directly (no store), on a Ruby allocator.
  class JourneySet
    attr_reader :ptr

    def initialize(allocator)
      @alloc = Lead.c_allocator(allocator)
      out = FFI::MemoryPointer.new(:pointer)
      rc = Lead.lead_journey_set_new(out, @alloc)
      if rc != OK
        Handles.delete(@alloc[:user])
        raise Error.new(rc, 'lead_journey_set_new')
      end
      @ptr = out.read_pointer
    end

    # One journey touching channels in order, without campaigns or times.
    def add(channels, conversions, value, nulls)
      check(Lead.lead_journey_set_begin(@ptr))
      channels.each { |c| check(Lead.lead_journey_set_add_touch(@ptr, c, nil, TIME_UNKNOWN, 0)) }
      check(Lead.lead_journey_set_end(@ptr, conversions, value, nulls, TIME_UNKNOWN))
    end

    def close
      Lead.lead_journey_set_free(@ptr)
      Handles.delete(@alloc[:user])
    end

    private

    def check(rc)
      raise Error.new(rc, Lead.lead_journey_set_errmsg(@ptr)) unless rc == OK
    end
  end

  # A scoring model in the text format, on a Ruby allocator.
  class ScoreModel
    attr_reader :ptr

    def initialize(allocator)
      @alloc = Lead.c_allocator(allocator)
      out = FFI::MemoryPointer.new(:pointer)
      rc = Lead.lead_score_model_new(out, @alloc)
      if rc != OK
        Handles.delete(@alloc[:user])
        raise Error.new(rc, 'lead_score_model_new')
      end
      @ptr = out.read_pointer
    end

    # Replaces the model with text; a failure says line:column: why.
    def parse(text)
      data = FFI::MemoryPointer.from_string(text)
      rc = Lead.lead_score_model_parse(@ptr, data, text.bytesize)
      return if rc == OK

      line = FFI::MemoryPointer.new(:uint32)
      column = FFI::MemoryPointer.new(:uint32)
      message = FFI::MemoryPointer.new(:pointer)
      Lead.lead_score_model_error(@ptr, line, column, message)
      raise Error.new(rc, "#{line.read_uint32}:#{column.read_uint32}: #{message.read_pointer.read_string}")
    end

    # Scores a contact: attributes {name => value}, events
    # [[type, channel, time_ms, {property => value}]].
    def evaluate(attributes, events, at_ms)
      subject_out = FFI::MemoryPointer.new(:pointer)
      result_out = FFI::MemoryPointer.new(:pointer)
      check(Lead.lead_score_subject_new(subject_out, @alloc))
      subject = subject_out.read_pointer
      attributes.each { |name, value| check(Lead.lead_score_subject_set(subject, name, value)) }
      events.each do |type, channel, time_ms, properties|
        check(Lead.lead_score_subject_add_event(subject, type, channel, nil, time_ms))
        properties.each { |name, value| check(Lead.lead_score_subject_add_property(subject, name, value)) }
      end
      check(Lead.lead_score_evaluate(result_out, @ptr, subject, at_ms))
      Lead.read_score(result_out.read_pointer)
    ensure
      Lead.lead_score_result_free(result_out.read_pointer)
      Lead.lead_score_subject_free(subject_out.read_pointer)
    end

    def close
      Lead.lead_score_model_free(@ptr)
      Handles.delete(@alloc[:user])
    end

    private

    def check(rc)
      raise Error.new(rc, 'scoring') unless rc == OK
    end
  end

  def self.borrowed_string(pointer)
    pointer.null? ? nil : pointer.read_string.force_encoding(Encoding::UTF_8)
  end

  def self.read_contact(snap)
    value = FFI::MemoryPointer.new(:pointer)
    fields = FIELDS.each_with_object({}) do |(name, field), out|
      lead_contact_field(snap, field, value)
      out[name] = borrowed_string(value.read_pointer) unless value.read_pointer.null?
    end
    stage = FFI::MemoryPointer.new(:int)
    events = FFI::MemoryPointer.new(:uint64)
    count = FFI::MemoryPointer.new(:size_t)
    lead_contact_stage(snap, stage)
    lead_contact_event_count(snap, events)
    lead_contact_stage_history_count(snap, count)
    history = Array.new(count.read(:size_t)) do |i|
      s, reason = Array.new(2) { FFI::MemoryPointer.new(:int) }
      entered, exited = Array.new(2) { FFI::MemoryPointer.new(:int64) }
      event = FFI::MemoryPointer.new(:uint64)
      lead_contact_stage_history_at(snap, i, s, entered, exited, reason, event)
      [lead_stage_name(s.read_int), entered.read_int64, exited.read_int64, reason.read_int,
       event.read_uint64]
    end
    lead_contact_attr_count(snap, count)
    name = FFI::MemoryPointer.new(:pointer)
    attrs = Array.new(count.read(:size_t)) do |i|
      lead_contact_attr_at(snap, i, name, FFI::MemoryPointer.new(:int), nil, nil, value)
      [borrowed_string(name.read_pointer), borrowed_string(value.read_pointer)]
    end.to_h
    { fields: fields, stage: stage.read_int, event_count: events.read_uint64, history: history,
      attrs: attrs }
  end

  def self.read_event(event)
    id = FFI::MemoryPointer.new(:uint64)
    type, channel = Array.new(2) { FFI::MemoryPointer.new(:int) }
    time = FFI::MemoryPointer.new(:int64)
    content = FFI::MemoryPointer.new(:pointer)
    lead_event_ids(event, id, nil, type, channel)
    lead_event_time(event, time)
    lead_event_string(event, EVENT_CONTENT, content)
    [id.read_uint64, lead_event_type_name(type.read_int), lead_channel_name(channel.read_int),
     time.read_int64, borrowed_string(content.read_pointer)]
  end

  # The scores, grade, BANT mask, stage and explanation of a score result.
  def self.read_score(result)
    fit, behaviour, total = Array.new(3) { FFI::MemoryPointer.new(:int64) }
    lead_score_result_scores(result, fit, behaviour, total)
    grade = FFI::MemoryPointer.new(:char)
    lead_score_result_grade(result, grade)
    bant = FFI::MemoryPointer.new(:uint32)
    lead_score_result_bant(result, bant)
    stage = FFI::MemoryPointer.new(:int32)
    rule = FFI::MemoryPointer.new(:size_t)
    reached = lead_score_result_stage(result, stage, rule) == OK
    count = FFI::MemoryPointer.new(:size_t)
    lead_score_result_item_count(result, count)
    items = Array.new(count.read(:size_t)) do |i|
      item = ScoreItem.new
      lead_score_item_init(item, item.size)
      lead_score_result_item(result, i, item)
      %i[kind rule subject event_index event_time raw value].map { |f| item[f] }
    end
    { scores: [fit, behaviour, total].map(&:read_int64), grade: grade.read_string(1),
      bant: bant.read_uint32, stage: reached ? [stage.read_int32, rule.read(:size_t)] : nil,
      items: items }
  end

  # Runs a model of kind on journeys:
  # [[conversions, value, unattributed conversions, unattributed value],
  #  {channel => [conversions, value]}].
  def self.attribute(kind, journeys, allocator, channels)
    alloc = c_allocator(allocator)
    model_out = FFI::MemoryPointer.new(:pointer)
    result_out = FFI::MemoryPointer.new(:pointer)
    rc = lead_attribution_model_new(model_out, kind, alloc)
    raise Error.new(rc, 'lead_attribution_model_new') unless rc == OK

    model = model_out.read_pointer
    rc = lead_attribution_run(result_out, model, journeys.ptr)
    raise Error.new(rc, lead_attribution_model_errmsg(model)) unless rc == OK

    result = result_out.read_pointer
    totals = Array.new(4) { FFI::MemoryPointer.new(:double) }
    lead_attribution_result_totals(result, *totals)
    credit = channels.to_h do |name|
      conv = FFI::MemoryPointer.new(:double)
      value = FFI::MemoryPointer.new(:double)
      rc = lead_attribution_result_channel_by_name(result, name, conv, value)
      raise Error.new(rc, name) unless rc == OK

      [name, [conv.read_double, value.read_double]]
    end
    [totals.map(&:read_double), credit]
  ensure
    lead_attribution_result_free(result_out.read_pointer) if result_out
    lead_attribution_model_free(model_out.read_pointer) if model_out
    Handles.delete(alloc[:user])
  end
end

T0 = 1_767_225_600_000 # 2026-01-01T00:00:00Z, the epoch the C tests use
DAY = 86_400_000
HOUR = 3_600_000

# The model of the worked example in docs/scoring-model.md; the C scoring
# suites score the same model.
def worked_example_model
  doc = File.read(File.expand_path('../../../docs/scoring-model.md', __dir__))
  section = doc[doc.index('## Worked example')..]
  section[/```text\n(.*?)```/m, 1]
end

ADA = { 'job_title' => 'VP Engineering', 'employees' => '1200', 'industry' => 'software',
        'timeline' => 'next year', 'phone' => '+49301234567', 'email_domain' => 'example.com' }.freeze
ADA_EVENTS = [ # type, channel, time, properties
  ['email_open', 'email', T0, {}],
  ['email_open', 'email', T0 + HOUR, {}],
  ['email_open', 'email', T0 + DAY, {}],
  ['email_open', 'email', T0 + 2 * DAY, {}],
  ['email_open', 'email', T0 + 7 * DAY, {}],
  ['page_view', 'organic_search', T0 + 7 * DAY, { 'path' => '/pricing' }],
  ['demo_request', 'direct', T0 + 10 * DAY, {}],
  ['page_view', 'direct', T0 + 11 * DAY, { 'path' => '/blog' }],
  ['form_submit', 'paid_search', T0 + 12 * DAY, {}],
  ['form_submit', 'email', T0 + 13 * DAY, {}]
].freeze
# The worked example's explanation: kind (1 fit, 2 base, 3 event), rule,
# subject, event index, event time, raw, value (centipoints).
WORKED_ITEMS = [
  [1, 0, 'job_title', 0, 0, 2000, 2857],
  [1, 1, 'employees', 0, 0, 1500, 2143],
  [1, 2, 'industry', 0, 0, 1000, 1429],
  [1, 4, 'phone', 0, 0, 500, 714],
  [2, 0, '', 0, 0, 1000, 1428],
  [3, 0, 'email_open', 0, T0, 1000, 250],
  [3, 0, 'email_open', 1, T0 + HOUR, 1000, 251],
  [3, 0, 'email_open', 2, T0 + DAY, 1000, 276],
  [3, 0, 'email_open', 4, T0 + 7 * DAY, 1000, 500],
  [3, 1, 'page_view', 5, T0 + 7 * DAY, 500, 99],
  [3, 2, 'demo_request', 6, T0 + 10 * DAY, 3000, 3000],
  [3, 4, 'form_submit', 8, T0 + 12 * DAY, 1500, 1231]
].freeze

# A clock the test sets by hand; fail_with != 0 makes reads fail.
class TestClock
  attr_accessor :now_ms, :fail_with
  attr_reader :reads

  def initialize(now_ms)
    @now_ms = now_ms
    @fail_with = 0
    @reads = 0
  end

  def read
    @reads += 1
    [@fail_with, @now_ms]
  end
end

# libc memory, counted per engine.
class TestAllocator
  attr_reader :live, :calls

  def initialize
    @live = {}
    @calls = 0
  end

  def malloc(size)
    @calls += 1
    remember(Lead::LibC.malloc(size))
  end

  def realloc(ptr, size)
    @calls += 1
    p = Lead::LibC.realloc(ptr, size)
    @live.delete(ptr.address) unless p.null?
    remember(p)
  end

  def free(ptr)
    @live.delete(ptr.address)
    Lead::LibC.free(ptr)
  end

  private

  def remember(ptr)
    @live[ptr.address] = true unless ptr.null?
    ptr
  end
end

# The engine's store as Ruby hashes: contacts with their email and
# external-id indexes, events per contact, idempotency keys and meta records;
# a transaction keeps a copy to restore on rollback. fail = { slot => code }
# makes that slot fail without changing anything.
class TestStore
  attr_accessor :fail
  attr_reader :calls, :errors, :contacts, :emails, :externals, :events, :idem_keys, :meta

  def initialize
    @contacts = {}
    @emails = {}
    @externals = {}
    @events = {}
    @idem_keys = {}
    @meta = {}
    @fail = {}
    @calls = Hash.new(0)
    @errors = []
    @undo = nil
    @lent = nil # the buffer the engine borrows until its next call
  end

  # Everything the store holds, as plain values to compare.
  def state
    [@contacts, @emails, @externals, @events, @idem_keys, @meta].map do |h|
      h.transform_values { |v| v.is_a?(Array) ? v.dup : v }
    end
  end

  def contact_put(id, email, external_id, bytes, len)
    drop_keys(id)
    @contacts[id] = bytes.read_bytes(len)
    @emails[email] = id if email
    @externals[external_id] = id if external_id
    Lead::OK
  end

  def contact_get(id, out_bytes, out_len)
    lend(@contacts[id], out_bytes, out_len)
  end

  def contact_delete(id)
    return Lead::ENOTFOUND unless @contacts.delete(id)

    drop_keys(id)
    @events.delete(id) # the idempotency keys stay
    Lead::OK
  end

  def contact_find_email(email, out_id) = find(@emails, email, out_id)
  def contact_find_external(external_id, out_id) = find(@externals, external_id, out_id)

  def contact_scan(visit, scan_user)
    @contacts.keys.sort.each { |id| break unless visit.call(scan_user, id).zero? }
    Lead::OK
  end

  def event_append(id, time_ms, idem_key, bytes, len)
    (@events[id] ||= []) << [time_ms, bytes.read_bytes(len)]
    @idem_keys[idem_key] = true if idem_key
    Lead::OK
  end

  def event_scan(id, from_ms, visit, scan_user)
    # sort_by is not stable: the index keeps equal times in append order.
    (@events[id] || []).each_with_index.sort_by { |(time, _), i| [time, i] }.each do |(time, bytes), _|
      next if time < from_ms

      buffer = FFI::MemoryPointer.from_string(bytes) # alive during the call
      break unless visit.call(scan_user, time, buffer, bytes.bytesize).zero?
    end
    Lead::OK
  end

  def event_find_key(idem_key) = @idem_keys.key?(idem_key) ? Lead::OK : Lead::ENOTFOUND

  def meta_put(key, bytes, len)
    @meta[key] = bytes.read_bytes(len)
    Lead::OK
  end

  def meta_get(key, out_bytes, out_len) = lend(@meta[key], out_bytes, out_len)

  def begin(*)
    @undo = state
    Lead::OK
  end

  def commit(*)
    @undo = nil
    Lead::OK
  end

  def rollback(*)
    @contacts, @emails, @externals, @events, @idem_keys, @meta = @undo
    @undo = nil
    Lead::OK
  end

  private

  def drop_keys(id)
    @emails.delete_if { |_, v| v == id }
    @externals.delete_if { |_, v| v == id }
  end

  def find(index, key, out_id)
    return Lead::ENOTFOUND unless index.key?(key)

    out_id.write_uint64(index[key])
    Lead::OK
  end

  def lend(bytes, out_bytes, out_len)
    return Lead::ENOTFOUND unless bytes

    @lent = FFI::MemoryPointer.from_string(bytes)
    out_bytes.write_pointer(@lent)
    out_len.write(:size_t, bytes.bytesize)
    Lead::OK
  end
end

def header_version
  text = File.read(File.join(ENV.fetch('LEAD_INCLUDE_DIR'), 'lead', 'version.h'))
  string = text[/#define LEAD_VERSION_STRING "([^"]+)"/, 1]
  major, minor, patch = %w[MAJOR MINOR PATCH].map { |p| text[/#define LEAD_VERSION_#{p} (\d+)/, 1].to_i }
  [string, major * 10_000 + minor * 100 + patch]
end

# One engine per test, on a Ruby clock at T0, a Ruby allocator and a Ruby store; every
# test ends with all of the engine's memory given back.
class Scenario < Minitest::Test
  def setup
    @clock = TestClock.new(T0)
    @allocator = TestAllocator.new
    @store = TestStore.new
    @engine = Lead::Engine.new(@clock, @allocator, @store)
  end

  def teardown
    @engine.close
    assert_empty @allocator.live
    assert_empty @store.errors
  end

  def test_version_matches_the_headers
    string, number = header_version
    assert_equal string, Lead.lead_version_string
    assert_equal number, Lead.lead_version_number
  end

  def test_status_texts
    assert_equal 'success', Lead.lead_strerror(Lead::OK)
    assert_equal 'invalid argument', Lead.lead_strerror(Lead::EINVAL)
    assert_equal 'clock callback failed', Lead.lead_strerror(Lead::ECLOCK)
    assert_equal 'unknown error', Lead.lead_strerror(-1000)
  end

  def test_engine_memory_comes_from_ruby
    assert_operator @allocator.calls, :>=, 1
    assert @allocator.live.key?(@engine.ptr.address)
  end

  def test_now_is_the_ruby_clock
    assert_equal T0, @engine.now
    @clock.now_ms = T0 + DAY
    assert_equal T0 + DAY, @engine.now
    assert_equal 2, @clock.reads
  end

  def test_clock_failure_is_reported
    @clock.fail_with = 7
    err = assert_raises(Lead::Error) { @engine.now }
    assert_equal Lead::ECLOCK, err.code
    assert_equal 'clock callback failed (returned 7)', err.detail
    @clock.fail_with = 0
    assert_equal T0, @engine.now
  end

  def assert_credit(credit, expected)
    expected.each do |channel, conversions|
      got_conv, got_value = credit.fetch(channel)
      assert_in_delta conversions, got_conv, 1e-12, channel
      assert_in_delta 10 * conversions, got_value, 1e-12, channel
    end
  end

  # The C suite's worked example: direct (2 conversions, 1 null),
  # search > email (3, 2), search > social > email (5, 4); 10 per conversion.
  def test_attribution_of_the_worked_example
    journeys = Lead::JourneySet.new(@allocator)
    journeys.add(%w[direct], 2, 20, 1)
    journeys.add(%w[search email], 3, 30, 2)
    journeys.add(%w[search social email], 5, 50, 4)
    channels = %w[direct search email social]
    totals, linear = Lead.attribute(Lead::ATTRIBUTION_LINEAR, journeys, @allocator, channels)
    assert_equal [10.0, 100.0, 0.0, 0.0], totals
    assert_credit linear, 'direct' => 2, 'search' => 19.0 / 6, 'email' => 19.0 / 6, 'social' => 5.0 / 3
    totals, u_shaped = Lead.attribute(Lead::ATTRIBUTION_U_SHAPED, journeys, @allocator, channels)
    assert_equal [10.0, 100.0, 0.0, 0.0], totals
    assert_credit u_shaped, 'direct' => 2, 'search' => 3.5, 'email' => 3.5, 'social' => 1
  ensure
    journeys&.close
  end

  def test_score_with_its_explanation
    assert_worked_example_score ADA, ADA_EVENTS
  end

  # Scores attributes and events under the worked example's model at T0 + 14
  # days and checks the C suite's figures.
  def assert_worked_example_score(attributes, events)
    model = Lead::ScoreModel.new(@allocator)
    begin
      model.parse(worked_example_model)
      score = model.evaluate(attributes, events, T0 + 14 * DAY)
    ensure
      model.close
    end
    assert_equal [8571, 5607, 14_178], score[:scores]
    assert_equal 'A', score[:grade]
    assert_equal 1 | 2 | 4, score[:bant] # budget, authority, need
    assert_equal [Lead::STAGE_SQL, 1], score[:stage]
    assert_equal 'sql', Lead.lead_stage_name(score[:stage][0])
    assert_equal WORKED_ITEMS, score[:items]
  end

  def test_score_model_errors_say_where
    model = Lead::ScoreModel.new(@allocator)
    err = assert_raises(Lead::Error) { model.parse("liblead-score 1\nstage mql fit 101\n") }
    assert_equal [Lead::ELIMIT, '2:15: number out of range [0, 100]'], [err.code, err.detail]
  ensure
    model&.close
  end

  def test_journey_errors_come_back_as_codes
    journeys = Lead::JourneySet.new(@allocator)
    err = assert_raises(Lead::Error) { journeys.add([''], 1, 10, 0) }
    assert_equal [Lead::EINVAL, 'empty name'], [err.code, err.detail]
    # The failed touch left its journey open.
    err = assert_raises(Lead::Error) { journeys.add(%w[email], 1, 10, 0) }
    assert_equal [Lead::ESTATE, 'a journey is already open'], [err.code, err.detail]
  ensure
    journeys&.close
  end

  # ---- the engine on the Ruby store ------------------------------------

  def assert_fails(code, detail, &block)
    err = assert_raises(Lead::Error, &block)
    assert_equal [code, detail], [err.code, err.detail]
  end

  def test_contacts_live_in_the_ruby_store
    assert_equal 1, @engine.create_contact(' Ann@Example.com', 'crm-7')
    assert_equal 2, @engine.create_contact(nil)
    assert_fails(Lead::EEXISTS, 'email already belongs to contact 1') do
      @engine.create_contact('ann@EXAMPLE.com')
    end
    assert_equal 1, @engine.create_contact('ann@example.com', nil, 1)
    assert_equal 1, @engine.find(email: 'ANN@example.com')
    assert_equal 1, @engine.find(external_id: 'crm-7')
    assert_fails(Lead::ENOTFOUND, 'no contact with this email') { @engine.find(email: 'zed@example.com') }
    ann = @engine.contact(1)
    assert_equal({ 'email' => 'ann@example.com' }, ann[:fields])
    assert_equal Lead::STAGE_SUBSCRIBER, ann[:stage]
    assert_equal [['subscriber', T0, Lead::TIME_UNKNOWN, Lead::REASON_CREATED, 0]], ann[:history]
    # What the engine wrote, seen from the Ruby side.
    assert_equal [1, 2], @store.contacts.keys.sort
    assert_equal({ 'ann@example.com' => 1 }, @store.emails)
    assert_equal({ 'crm-7' => 1 }, @store.externals)
    assert_equal ['contact.next_id'], @store.meta.keys
    assert_equal "LR\x01\x02".b, @store.contacts[1][0, 4]
  end

  def test_events_stage_history_and_replay
    c = @engine.create_contact('a@x.io')
    assert_equal 1, @engine.track(c, 'page_view', 'organic_search', T0 + 1000)
    assert_equal 2, @engine.track(c, 'form_submit', 'paid_search', T0 + 2000)
    assert_equal 3, @engine.track(c, 'download', 'email', T0 + 3000, key: 'msg-1')
    stored = @store.state
    assert_equal 0, @engine.track(c, 'download', 'email', T0 + 3000, key: 'msg-1')
    assert_equal stored, @store.state
    contact = @engine.contact(c)
    assert_equal Lead::STAGE_LEAD, contact[:stage]
    assert_equal 3, contact[:event_count]
    assert_equal [['subscriber', T0, T0 + 2000, Lead::REASON_CREATED, 0],
                  ['lead', T0 + 2000, Lead::TIME_UNKNOWN, Lead::REASON_EVENT, 2]], contact[:history]
    assert_equal [[2, 'form_submit', 'paid_search', T0 + 2000, nil],
                  [3, 'download', 'email', T0 + 3000, nil]], @engine.events(c, T0 + 2000)
    assert_equal 3, @store.events[c].size
    assert_equal ['msg-1'], @store.idem_keys.keys
    # Every track is one transaction, the replay too (it wrote nothing).
    assert_equal [4, 4, 0], @store.calls.values_at(:begin, :commit, :rollback)
  end

  # Ada of the worked example as an engine contact: her fields and attributes
  # (the email gives her email_domain).
  def create_ada
    c = @engine.create_contact(' Ada@Example.COM')
    %w[job_title industry phone].each { |name| @engine.set_field(c, name, ADA[name]) }
    %w[employees timeline].each { |name| @engine.set_attr(c, name, ADA[name]) }
    c
  end

  # Tracks worked-example events, the page path in content.
  def track_ada(id, events)
    events.each do |type, channel, time_ms, properties|
      @engine.track(id, type, channel, time_ms, content: properties['path'])
    end
  end

  def test_score_of_what_the_engine_read_back
    c = create_ada
    track_ada(c, ADA_EVENTS)
    # The subject is built only from what comes back out of the engine.
    contact = @engine.contact(c)
    assert_equal 'ada@example.com', contact[:fields]['email']
    attributes = contact[:fields].merge(contact[:attrs])
    attributes['email_domain'] = attributes.delete('email').split('@')[1]
    assert_equal ADA, attributes
    events = @engine.events(c).map do |_, type, channel, time_ms, content|
      [type, channel, time_ms, content ? { 'path' => content } : {}]
    end
    assert_equal ADA_EVENTS, events
    assert_worked_example_score attributes, events
  end

  # The worked example's model, parsed; closed when the block returns.
  def with_worked_example_model
    model = Lead::ScoreModel.new(@allocator)
    model.parse(worked_example_model)
    yield model
  ensure
    model&.close
  end

  def test_the_engine_scores_its_contacts
    @clock.now_ms = T0 - DAY
    ada = create_ada
    assert_equal 2, @engine.create_contact('bob@example.com')
    with_worked_example_model do |model|
      @engine.attach('enterprise', model)
      assert_fails(Lead::EEXISTS, 'score attach: model enterprise is attached') do
        @engine.attach('enterprise', model)
      end
    end
    assert_equal ['enterprise'], @engine.models
    at = T0 + 14 * DAY
    # Attaching scores the fit at once but moves no stage.
    assert_equal [8571, 0, 8571], @engine.score('enterprise', ada, at)[:scores]
    assert_equal Lead::STAGE_SUBSCRIBER, @engine.contact(ada)[:stage]
    # Tracking updates the score, and the first event that hits a rule
    # crosses the sql threshold (BANT 3 from the fit alone).
    track_ada(ada, ADA_EVENTS[0, 1])
    assert_equal [8571, 1000, 9571], @engine.score('enterprise', ada, T0)[:scores]
    track_ada(ada, ADA_EVENTS[1..])
    contact = @engine.contact(ada)
    assert_equal Lead::STAGE_SQL, contact[:stage]
    assert_equal [['subscriber', T0 - DAY, T0, Lead::REASON_CREATED, 0],
                  ['sql', T0, Lead::TIME_UNKNOWN, Lead::REASON_THRESHOLD, 1]], contact[:history]
    # The engine's score equals the evaluation of a subject built from the
    # same contact as the engine shows it to a model: the page path is the
    # property "content", so the worked example's rule on "path" hits nothing.
    score = @engine.score('enterprise', ada, at)
    events = ADA_EVENTS.map do |type, channel, time_ms, properties|
      [type, channel, time_ms, properties.transform_keys('path' => 'content')]
    end
    with_worked_example_model do |model|
      assert_equal model.evaluate(contact[:fields].merge(contact[:attrs]), events, at), score
    end
    assert_equal [8571, 5508, 14_079], score[:scores]
    assert_equal ['A', 1 | 2 | 4, [Lead::STAGE_SQL, 1]], score.values_at(:grade, :bant, :stage)
    assert_equal WORKED_ITEMS[0, 9] + WORKED_ITEMS[10..], score[:items]
    # A rescore calls back into Ruby after each contact.
    calls = []
    @engine.rescore('enterprise') do |done, total|
      calls << [done, total]
      false
    end
    assert_equal [[1, 2], [2, 2]], calls
    assert_equal score, @engine.score('enterprise', ada, at)
    # A true return cancels it and keeps the previous state.
    calls = []
    assert_fails(Lead::ECANCELED, 'rescore canceled after 1 contact') do
      @engine.rescore do |done, total|
        calls << [done, total]
        true
      end
    end
    assert_equal [[1, 2]], calls
    assert_equal score, @engine.score('enterprise', ada, at)
    # An exception stops it too, and comes out of rescore once C has returned.
    err = assert_raises(ArgumentError) { @engine.rescore { raise ArgumentError, 'boom' } }
    assert_equal 'boom', err.message
    assert_equal score, @engine.score('enterprise', ada, at)
    assert_fails(Lead::ENOTFOUND, 'score: no model nope') { @engine.score('nope', ada, at) }
    assert_fails(Lead::ENOTFOUND, 'rescore: no model nope') { @engine.rescore('nope') }
    @engine.detach('enterprise')
    assert_empty @engine.models
  end

  def test_a_failing_store_callback_leaves_nothing_half_written
    c = @engine.create_contact('a@x.io')
    assert_equal 1, @engine.track(c, 'page_view', 'organic_search', T0 + 1000)
    before = @store.state
    { event_append: 99, contact_put: 42, commit: 7 }.each do |slot, code|
      @store.fail = { slot => code }
      assert_fails(Lead::ESTORE, "store #{slot} failed (returned #{code})") do
        @engine.track(c, 'form_submit', 'paid_search', T0 + 2000, key: 'msg-2')
      end
      assert_equal before, @store.state, slot
    end
    assert_equal 'store callback failed', Lead.lead_strerror(Lead::ESTORE)
    assert_equal 3, @store.calls[:rollback]
    @store.fail = {}
    contact = @engine.contact(c)
    assert_equal [Lead::STAGE_SUBSCRIBER, 1], contact.values_at(:stage, :event_count)
    # The rolled-back id is handed out again, and the key was never remembered.
    assert_equal 2, @engine.track(c, 'form_submit', 'paid_search', T0 + 2000, key: 'msg-2')
    assert_equal Lead::STAGE_LEAD, @engine.contact(c)[:stage]
  end

  def test_a_failing_clock_stores_nothing
    @clock.fail_with = 7
    assert_fails(Lead::ECLOCK, 'clock callback failed (returned 7)') { @engine.create_contact('a@x.io') }
    assert_equal TestStore.new.state, @store.state
    @clock.fail_with = 0
    assert_equal 1, @engine.create_contact('a@x.io')
  end
end
